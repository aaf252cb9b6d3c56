"""Security headers on every response, error pages included."""

from flask import Flask, Response, abort, request
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


def reject_nul_characters() -> None:
    """Refuse text with NUL characters: no page needs them and PostgreSQL cannot store them."""
    if "\x00" in request.path or any("\x00" in value for value in request.values.values()):
        abort(400, _("Text may not contain NUL characters."))


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_characters)
    app.after_request(add_security_headers)
    if app.config["HTTPS"]:
        app.after_request(_add_hsts)


def _add_hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
