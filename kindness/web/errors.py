"""Error pages: HTML in the site's look, JSON under /api/. The boundary
(``kindness.web.boundary``) answers with them once it has rolled the request's
work back."""

from flask import Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("Something in that request was not right. Please try again.")),
        403: (_("Not allowed"), _("You are not allowed to do that.")),
        404: (_("Not found"), _("There is nothing here. The link may be old or mistyped.")),
        405: (_("Not allowed"), _("That page does not answer this kind of request.")),
        409: (
            _("Not possible"),
            _("Someone changed this at the same moment. Please go back and try again."),
        ),
        413: (_("Too large"), _("That was more than this site accepts in one request.")),
        422: (_("Not accepted"), _("That was not accepted. Please go back and try again.")),
        429: (_("Slow down"), _("Too many attempts in a short time. Please wait a minute.")),
        500: (_("Something went wrong"), _("It is our fault, not yours. Please try again later.")),
        503: (
            _("Back in a moment"),
            _("We cannot reach our records just now. Please try again in a minute."),
        ),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_page(
    code: int, text: str | None = None, headers: dict | None = None, title: str | None = None
):
    """The page (or JSON) for ``code``, with ``text`` in place of the usual words."""
    usual_title, usual_text = _messages().get(code, (str(code), ""))
    title, text = title or usual_title, text or usual_text
    response: Response | str
    if _wants_json():
        response = jsonify(error={"code": code, "title": title, "message": text})
    else:
        response = render_template("errors/error.html", code=code, title=title, text=text)
    return response, code, headers or {}


def http_error_page(error: HTTPException):
    """The page for an HTTP error (404, 405, 429, 500, ...), with its headers."""
    code = error.code or 500
    title, text = _messages().get(code, (error.name, error.description))
    # CSRF failures and the like carry their own, more useful reason.
    if code == 400 and error.description and error.description != type(error).description:
        text = error.description
    # A rate limit with words of its own (how long to wait, what to look for) says them.
    limit = getattr(error, "limit", None)
    if code == 429 and limit is not None and limit.error_message:
        text = error.description
    headers = {
        name: value for name, value in error.get_headers() if name in ("Allow", "Retry-After")
    }
    return error_page(code, text, headers, title=title)
