"""The API's OpenAPI document: flask-smorest's, with problem+json for every error
and the personal access token as the security scheme."""

import http
import re

from apispec import BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from kindness.schemas.problems import PROBLEM_JSON, ProblemSchema

DESCRIPTION = """\
The JSON API of Kindness: your acts, contacts, weeks, pass-it-on cards, inbox and
teams, and the public chains.

Send a personal access token (Settings → API tokens) as `Authorization: Bearer <token>`.
A read token may only read; a read-write token may also change things. Every
refusal is `application/problem+json` (RFC 9457) with a stable `type`.
"""


ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}


READS = ("get", "head", "options")


class OperationDefaults(BasePlugin):
    """What every operation says alike.

    - The token it needs: a read token reads, only a read-write token writes
      (``kindness.api.auth``). OpenAPI 3.1 lets a bearer scheme list such roles
      where OAuth would list scopes.
    - A stable name, its view's.
    - The refusals every operation of its kind can answer (``kindness.api.auth``,
      ``strict``); those of one operation alone (a 409 for a rule, a 404 for a
      code in the body) its view declares with ``alt_response``."""

    def operation_helper(self, path=None, operations=None, rule=None, **kwargs):
        for method, operation in (operations or {}).items():
            scope = "read" if method in READS else "read-write"
            operation.setdefault("security", [{"token": [scope]}])
            operation["tags"] = [tag_of(name) for name in operation.get("tags", ())]
            if rule is not None:
                operation.setdefault("operationId", operation_id(rule.endpoint, method))
            responses = operation.setdefault("responses", {})
            for status in refusals(
                method, operation, has_path_parameters="<" in (rule.rule if rule else "")
            ):
                responses.setdefault(str(status), http.HTTPStatus(status).name)


def operation_id(endpoint: str, method: str) -> str:
    """A view function's name (``list_acts``); for a view class, the method and
    the class's name (``OneAct`` → ``get_one_act``)."""
    name = endpoint.rpartition(".")[2]
    if name[:1].isupper():
        return method + re.sub(r"(?=[A-Z])", "_", name).lower()
    return name


def refusals(method: str, operation: dict, has_path_parameters: bool) -> list[int]:
    """The statuses ``operation`` can answer whatever it does: no token or an
    unknown one (401), too many requests (429), a NUL character or half a
    surrogate pair in the request (400); a read token on a write (403); nothing
    at its address (404); and for a body, one too large (413), not JSON (415)
    or invalid (422)."""
    statuses = [400, 401, 429]
    if method not in READS:
        statuses.append(403)
    if has_path_parameters:
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [413, 415, 422]
    return statuses


def tag_of(blueprint_name: str) -> str:
    """A resource's name in the document: its blueprint's without the ``api_`` that
    keeps it apart from the pages' blueprints (``api_acts`` → ``acts``)."""
    return blueprint_name.removeprefix("api_")


class KindnessApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app):
        super().__init__(
            app,
            spec_kwargs={
                "info": {"description": DESCRIPTION},
                "security": [{"token": []}],
                "extra_plugins": [OperationDefaults()],
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

    def register_blueprint(self, blp, **options):
        super().register_blueprint(blp, **options)
        # flask-smorest has just added the resource's tag, under the blueprint's name.
        self.spec._tags[-1]["name"] = tag_of(self.spec._tags[-1]["name"])

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
