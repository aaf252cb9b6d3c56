"""Error pages: HTML in the site's look, problem documents (RFC 9457) under
/api/. The boundary (``kindness.web.boundary``) answers with them once it has
rolled the request's work back."""

from flask import Response, current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from kindness.schemas import field_messages
from kindness.schemas.problems import HTTP_KINDS, PROBLEM_JSON, PROBLEM_TYPES


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("Something in that request was not right. Please try again.")),
        401: (_("Not signed in"), _("This needs a personal access token.")),
        403: (_("Not allowed"), _("You are not allowed to do that.")),
        404: (_("Not found"), _("There is nothing here. The link may be old or mistyped.")),
        405: (_("Not allowed"), _("That page does not answer this kind of request.")),
        409: (
            _("Not possible"),
            _("Someone changed this at the same moment. Please go back and try again."),
        ),
        413: (_("Too large"), _("That was more than this site accepts in one request.")),
        415: (_("Not JSON"), _("Send the body as JSON.")),
        422: (_("Not accepted"), _("That was not accepted. Please go back and try again.")),
        429: (_("Slow down"), _("Too many attempts in a short time. Please wait a minute.")),
        500: (_("Something went wrong"), _("It is our fault, not yours. Please try again later.")),
        503: (
            _("Back in a moment"),
            _("We cannot reach our records just now. Please try again in a minute."),
        ),
    }


def _wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def error_page(
    code: int,
    text: str | None = None,
    headers: dict | None = None,
    title: str | None = None,
    kind: str | None = None,
    errors: dict | None = None,
):
    """The page (or problem document) for ``code``, with ``text`` in place of the
    usual words; ``kind`` and ``errors`` (per field) are for the API."""
    usual_title, usual_text = _messages().get(code, (str(code), ""))
    title, text = title or usual_title, text or usual_text
    response: Response | str
    if _wants_json():
        response = problem(code, title, text, kind or HTTP_KINDS.get(code, "error"), errors)
    else:
        response = render_template("errors/error.html", code=code, title=title, text=text)
    return response, code, headers or {}


def problem(code: int, title: str, text: str, kind: str, errors: dict | None) -> Response:
    document = {
        "type": PROBLEM_TYPES + kind,
        "title": title,
        "status": code,
        "detail": text,
        "instance": request.path,
    }
    if errors:
        document["errors"] = field_messages.translate(errors)
    return current_app.response_class(
        current_app.json.dumps(document), status=code, mimetype=PROBLEM_JSON
    )


def http_error_page(error: HTTPException):
    """The page for an HTTP error (404, 405, 429, 500, ...), with its headers."""
    code = error.code or 500
    title, text = _messages().get(code, (error.name, error.description))
    # CSRF failures, a missing or read-only API token, a body that is not JSON and
    # the like carry their own, more useful reason.
    if code in (400, 401, 403, 415) and error.description != type(error).description:
        text = error.description
    # A rate limit with words of its own (how long to wait, what to look for) says them.
    limit = getattr(error, "limit", None)
    if code == 429 and limit is not None and limit.error_message:
        text = error.description
    headers = {
        name: value
        for name, value in error.get_headers()
        if name in ("Allow", "Retry-After", "WWW-Authenticate")
    }
    # The API's input validation (webargs) says what is wrong with each field.
    errors = (getattr(error, "data", None) or {}).get("messages")
    if errors:
        text = _("Some of the values sent are not right: see “errors”.")
    return error_page(code, text, headers, title=title, errors=errors)
