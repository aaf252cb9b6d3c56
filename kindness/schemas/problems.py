"""A refusal's shape: the problem document (RFC 9457) of every error under /api/,
and its kinds. The boundary writes them (``kindness.web.errors``), the OpenAPI
document describes them (``kindness.api.spec``), and the API reference lists the
kinds (``/developers/api#problems``), where each ``type`` leads."""

import re

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

PROBLEM_JSON = "application/problem+json"
# A problem's ``type`` is this plus its kind: the same on every deployment,
# resolved against the API's own address.
PROBLEM_TYPES = "/developers/api#problem-"

# The kind of an HTTP error that no domain error explains.
HTTP_KINDS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "not-json",
    422: "invalid-input",
    429: "too-many-requests",
    500: "server-error",
    503: "unavailable",
}


def kind_of(error_class: type) -> str:
    """A domain error's kind: its class name in kebab case (``RuleViolation`` →
    ``rule-violation``), so each kind the domain knows has a stable name."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", error_class.__name__).lower()


def kinds() -> dict[str, str]:
    """Every kind of problem with what it means (for the reference page)."""
    return {
        "bad-request": _l("The request could not be read: not JSON, or a NUL character."),
        "unauthorized": _l("No token was sent, or it is unknown, revoked or past its last day."),
        "forbidden": _l("The token may only read, and this would change something."),
        "not-found": _l("Nothing is there, or it is not yours to see: the two look the same."),
        "method-not-allowed": _l("This path does not answer this method."),
        "invalid-input": _l("A value is missing or out of its rules; `errors` says which."),
        "bad-link": _l("The link or code is not one of ours, or no longer works."),
        "weak-password": _l("The password is too easy to guess."),
        "rule-violation": _l("This breaks a rule of the product, such as one week at a time."),
        "card-claimed": _l("Someone has claimed this card already."),
        "still-building": _l("Your data is still being gathered; ask again when it is ready."),
        "conflict": _l("Someone else has this value, or changed this at the same moment."),
        "email-taken": _l("Another account has this address."),
        "invalid-credentials": _l("The e-mail address or password is not right."),
        "too-large": _l("The request is larger than the API accepts."),
        "not-json": _l("The body was not sent as JSON (see its Content-Type)."),
        "too-many-requests": _l("This token has asked too often; wait as Retry-After says."),
        "server-error": _l("Our fault: please try again later."),
        "unavailable": _l("Our records cannot be reached just now; try again in a minute."),
    }


class ProblemSchema(Schema):
    type = fields.String(
        metadata={"description": "Stable for each kind of problem; leads to its description."}
    )
    title = fields.String(metadata={"description": "A short summary of the kind of problem."})
    status = fields.Integer(metadata={"description": "The HTTP status code."})
    detail = fields.String(metadata={"description": "What went wrong this time."})
    instance = fields.String(metadata={"description": "The path that was asked for."})
    errors = fields.Dict(
        metadata={"description": "Per field, what is wrong with it (for invalid input)."}
    )
