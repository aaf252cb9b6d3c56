"""Cursor pagination of the API's lists: ``?limit=&cursor=``, answered with
``{"items": [...], "next_cursor": ...}``.

A cursor is opaque to the client: the sort key of the last item sent (say, its
date and id), as URL-safe base64 of JSON. A list reads the rows after it in its
own order (keyset pagination), so a page costs the same however deep it is and
nothing is skipped or repeated when rows are added meanwhile. A cursor that does
not decode is invalid input (422), never a 500.
"""

import base64
import binascii
import json
from typing import Any

from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate

LIMIT_DEFAULT = 25
LIMIT_MAX = 100


class PageArgs(Schema):
    limit = fields.Integer(
        load_default=LIMIT_DEFAULT,
        validate=validate.Range(1, LIMIT_MAX),
        metadata={"description": f"How many items to answer (1 to {LIMIT_MAX})."},
    )
    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "`next_cursor` of the page before; none for the first page."},
    )


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of ``item_schema``s, named ``name`` in the document."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(
                allow_none=True,
                required=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
        },
        name=name,
    )


def encode(key: list[Any]) -> str:
    """The cursor after an item whose sort key is ``key`` (JSON-able values)."""
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode(cursor: str | None, types: tuple[type, ...]) -> list[Any] | None:
    """The sort key in ``cursor``, checked to be values of ``types``; None for no cursor."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        key = None
    valid = (
        isinstance(key, list)
        and len(key) == len(types)
        and all(type(value) is kind for value, kind in zip(key, types, strict=True))
    )
    if not valid:
        abort(422, messages={"query": {"cursor": [_("This cursor is not one we gave.")]}})
    return key


def page(items: list[Any], limit: int, key_of) -> dict[str, Any]:
    """One page from ``items``, read with ``limit + 1`` rows: the extra row, when
    there, says that a next page exists."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode(key_of(items[-1])) if more else None}
