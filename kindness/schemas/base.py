"""What every shape shares: dotted attributes that stop at a missing object, and a
boolean that says whether a value is set."""

from typing import Any

from marshmallow import Schema, fields


class Shape(Schema):
    """A schema whose dotted attributes (``contact.name``) dump null when an object
    on the way is None (an act for nobody named), instead of leaving the key out:
    every documented key is always there."""

    def get_attribute(self, obj: Any, attr: str, default: Any) -> Any:
        if "." not in attr:
            return super().get_attribute(obj, attr, default)
        value = obj
        for part in attr.split("."):
            if value is None:
                return None
            value = super().get_attribute(value, part, default)
        return value


class Present(fields.Boolean):
    """True when its attribute is set (``read_at`` → ``read``): the fact, not the
    internal value behind it. Documented as a boolean (apispec walks the MRO)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(dump_only=True, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> bool:
        return value is not None
