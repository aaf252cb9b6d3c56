"""Security headers on every response, error pages included, and who may keep
a copy of it (``Cache-Control``)."""

from flask import Flask, Response, abort, request, session
from flask_babel import gettext as _

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def keep_private_answers_private(response: Response) -> Response:
    """An answer to a signed-in visitor may show what only they may see (private
    notes, contacts): no cache, shared or the browser's, keeps it. Answers that
    say for themselves how long they keep (the calendar feed, link-preview
    cards, the cards' pages) and static files (SEND_FILE_MAX_AGE_DEFAULT) keep
    theirs; anonymous answers keep what they have (``Vary: Cookie``)."""
    if "Cache-Control" in response.headers or request.endpoint == "static":
        return response
    # The session's login id, not current_user: asking would load the person here,
    # after the error handlers, where a database that does not answer is a bare 500.
    if "_user_id" in session:
        response.headers["Cache-Control"] = "private, no-store"
    return response


def reject_nul_characters() -> None:
    """Refuse text with NUL characters: no page needs them and PostgreSQL cannot store them."""
    if "\x00" in request.path or any("\x00" in value for value in request.values.values()):
        abort(400, _("Text may not contain NUL characters."))


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_characters)
    app.after_request(add_security_headers)
    app.after_request(keep_private_answers_private)
    if app.config["HTTPS"]:
        app.after_request(_add_hsts)


def _add_hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
