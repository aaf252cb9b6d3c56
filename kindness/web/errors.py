"""Error pages: HTML in the site's look, JSON under /api/."""

from flask import Blueprint, g, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.exceptions import HTTPException, InternalServerError

from kindness.domain.errors import NotFound

bp = Blueprint("errors", __name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("Something in that request was not right. Please try again.")),
        403: (_("Not allowed"), _("You are not allowed to do that.")),
        404: (_("Not found"), _("There is nothing here. The link may be old or mistyped.")),
        405: (_("Not allowed"), _("That page does not answer this kind of request.")),
        413: (_("Too large"), _("That was more than this site accepts in one request.")),
        429: (_("Slow down"), _("Too many attempts in a short time. Please wait a minute.")),
        500: (_("Something went wrong"), _("It is our fault, not yours. Please try again later.")),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _rollback() -> None:
    session = g.get("db_session")
    if session is not None:
        session.rollback()


@bp.app_errorhandler(HTTPException)
def handle_http_error(error: HTTPException):
    _rollback()
    code = error.code or 500
    title, text = _messages().get(code, (error.name, error.description))
    # CSRF failures and the like carry their own, more useful reason.
    if code == 400 and error.description and error.description != type(error).description:
        text = error.description
    if _wants_json():
        response = jsonify(error={"code": code, "title": title, "message": text})
    else:
        response = render_template("errors/error.html", code=code, title=title, text=text)
    headers = {
        name: value for name, value in error.get_headers() if name in ("Allow", "Retry-After")
    }
    return response, code, headers


@bp.app_errorhandler(NotFound)
def handle_domain_not_found(_error: NotFound):
    """An object the viewer may not see answers exactly like one that does not exist."""
    return handle_http_error(werkzeug_exceptions.NotFound())


@bp.app_errorhandler(InternalServerError)
def handle_server_error(error: InternalServerError):
    return handle_http_error(error)
