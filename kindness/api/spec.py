"""The API's OpenAPI document: flask-smorest's, with problem+json for every error
and the personal access token as the security scheme."""

import http

from flask_smorest import Api
from flask_smorest.utils import prepare_response

from kindness.api.problems import PROBLEM_JSON, ProblemSchema

DESCRIPTION = """\
The JSON API of Kindness: your acts, contacts, weeks, pass-it-on cards, inbox and
teams, and the public chains.

Send a personal access token (Settings → API tokens) as `Authorization: Bearer <token>`.
A read token may only read; a read-write token may also change things. Every
refusal is `application/problem+json` (RFC 9457) with a stable `type`.
"""


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


class KindnessApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app):
        super().__init__(
            app,
            spec_kwargs={
                "info": {"description": DESCRIPTION},
                "security": [{"token": []}],
            },
        )
        # The app's id converter (kindness.web.converters): a positive 32-bit integer.
        id_converter = app.url_map.converters["id"]
        self.register_converter(id_converter, lambda _converter: ID_SCHEMA)
        self.spec.components.security_scheme(
            "token",
            {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token, made on the Settings page.",
            },
        )

    def _register_error_handlers(self):
        """None: the request boundary answers every error of the app, with
        problem+json under /api/ (``kindness.web.errors``)."""

    def _register_responses(self):
        """The error responses of the document, as problem+json."""
        for status in http.HTTPStatus:
            if status >= 400:
                self._error_response(status.name, status.phrase)
        self._error_response("DEFAULT_ERROR", "A problem (RFC 9457)")

    def _error_response(self, name: str, description: str) -> None:
        response = {"description": description, "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(name, response, lazy=True)
