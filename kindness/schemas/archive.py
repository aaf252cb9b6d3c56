"""The data export as a zip: each section as JSON (exactly the API's shapes) and as
CSV (one row per object, nested objects flattened to ``thanks.text`` columns), with
a README. Written into a buffer that refuses to grow beyond the size cap, so an
export too big is never held whole in memory."""

import csv
import io
import json
import zipfile
from typing import Any

from marshmallow import Schema, fields

from kindness.schemas.my_data import Section

FOLDER = "kindness-data"


class TooBig(Exception):
    """The zip would be larger than the cap."""


class _CappedBuffer(io.BytesIO):
    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap

    def write(self, data: Any) -> int:
        if self.tell() + len(data) > self.cap:
            raise TooBig()
        return super().write(data)


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet will not run (text starting with = + - @ gets a quote);
    null is empty, true and false as JSON writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def columns(schema: Schema, prefix: str = "") -> list[str]:
    """The CSV's columns of a shape: its fields in order, nested ones flattened."""
    names: list[str] = []
    for name, field in schema.dump_fields.items():
        if isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
            names.extend(columns(field.schema, f"{prefix}{name}."))
        else:
            names.append(prefix + name)
    return names


def _value(row: dict[str, Any], column: str) -> Any:
    value: Any = row
    for part in column.split("."):
        if value is None:
            return None
        value = value.get(part)
    return value


def section_csv(section: Section) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    names = columns(section.schema)
    writer.writerow(names)
    for row in section.rows:
        writer.writerow([csv_cell(_value(row, name)) for name in names])
    return out.getvalue()


def write(sections: list[Section], readme: str, cap: int) -> bytes:
    """The zip's bytes; raises ``TooBig`` as soon as it grows beyond ``cap`` bytes."""
    buffer = _CappedBuffer(cap)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{FOLDER}/README.txt", readme)
        for section in sections:
            text = json.dumps(section.content, ensure_ascii=False, indent=2)
            archive.writestr(f"{FOLDER}/json/{section.name}.json", text + "\n")
            archive.writestr(f"{FOLDER}/csv/{section.name}.csv", section_csv(section))
    return buffer.getvalue()
