"""Request fields that take JSON's own types and nothing looser: marshmallow's
Boolean takes "yes", 1 and "on" as true, which the OpenAPI document (a boolean)
does not promise; a client that sends them has a bug worth hearing about."""

from typing import Any

from marshmallow import fields


class Boolean(fields.Boolean):
    """``true`` or ``false``, nothing else (documented as a boolean)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Integer(fields.Integer):
    """A JSON number without a fraction: not "12", not 12.5, not true."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)
