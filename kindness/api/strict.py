"""What a request may be, and nothing looser: a JSON object as the body of an
operation that takes one, values of JSON's own types, and only the query
parameters the operation names.

marshmallow's Boolean takes "yes", 1 and "on" as true, its Integer "12"; webargs
reads a body sent as a form as no body, and ignores a query parameter it does
not know. The OpenAPI document promises none of that, and a client that relies
on it has a bug worth hearing about (a misspelt filter would silently list
everything)."""

from typing import Any

import flask_smorest
from flask import Request, abort
from flask_babel import gettext as _
from marshmallow import RAISE, fields
from webargs import core
from webargs.flaskparser import FlaskParser


class Boolean(fields.Boolean):
    """``true`` or ``false``, nothing else (documented as a boolean)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Integer(fields.Integer):
    """A JSON number without a fraction: not "12", not 12.5, not true. 12.0 is
    one (JSON Schema's ``integer``, as the document says)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


class JsonParser(FlaskParser):
    """A body is a JSON object sent as JSON; the query holds only named parameters."""

    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {  # noqa: RUF012 (as webargs declares it)
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def _raw_load_json(self, req: Request) -> Any:
        # A form's body has been read into req.form by now: its type tells it.
        if req.mimetype and not core.is_json(req.mimetype):
            abort(415, _("Send the body as JSON, with “Content-Type: application/json”."))
        if not req.get_data(cache=True):
            # Worded as webargs words a missing field: 422, as any other invalid input.
            flask_smorest.abort(
                422, messages={"json": {"_schema": [_("Send a JSON object as the body.")]}}
            )
        return super()._raw_load_json(req)


class Blueprint(flask_smorest.Blueprint):
    """A resource of the API: its arguments read by ``JsonParser``."""

    ARGUMENTS_PARSER = JsonParser()
