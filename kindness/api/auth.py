"""Who an API request speaks for: the personal access token in its
``Authorization: Bearer`` header, and nothing else (a session cookie does not
count, so a page cannot be made to call the API on a visitor's behalf and the
API needs no CSRF token). A read token may only read. Each token has its own
rate limit."""

from flask import Blueprint, Response, abort, current_app, g, request
from flask_babel import gettext as _
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from kindness.db import utcnow
from kindness.domain import api_tokens
from kindness.extensions import csrf, limiter
from kindness.models import ApiToken, User
from kindness.sessions import get_session

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def protect(blueprint: Blueprint) -> None:
    """Make every view of ``blueprint`` need a token, within the token's rate limit.

    The limit is shared by every resource (one count per token, not one per
    blueprint) and keyed on the token found, so sending made-up tokens counts
    against the sender's address instead of escaping the limit."""
    csrf.exempt(blueprint)
    limiter.shared_limit(
        lambda: current_app.config["API_RATE_LIMIT"],
        scope="api",
        key_func=_rate_limit_key,
        exempt_when=lambda: not current_app.config["API_RATE_LIMIT"],
    )(blueprint)
    blueprint.before_request(_authenticate)
    blueprint.after_request(_keep_private)


def _keep_private(response: Response) -> Response:
    """An answer speaks for one token's person: no cache keeps it."""
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Authorization")
    if request.method == "OPTIONS" and not response.get_data():
        # Flask's own answer to OPTIONS: the methods in Allow, no body (not an HTML one).
        response.status_code = 204
        response.headers.pop("Content-Type", None)
    return response


def _secret() -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _token() -> ApiToken | None:
    """The request's token if it is valid, looked up once: the rate limit asks
    for it before the view's own check does."""
    if "api_token" not in g:
        secret = _secret()
        g.api_token = api_tokens.authenticate(get_session(), secret, utcnow()) if secret else None
    return g.api_token


def _rate_limit_key() -> str:
    token = _token()
    return f"token:{token.id}" if token else "address:" + (request.remote_addr or "")


def _unauthorized(text: str, invalid: bool) -> Unauthorized:
    challenge = WWWAuthenticate("bearer", {"realm": "Kindness API"})
    if invalid:
        challenge["error"] = "invalid_token"
    return Unauthorized(text, www_authenticate=challenge)


def _authenticate() -> None:
    secret = _secret()
    if not secret:
        raise _unauthorized(
            _("Send a personal access token as “Authorization: Bearer <token>”."), invalid=False
        )
    token = _token()
    if token is None:
        raise _unauthorized(_("This token is unknown, revoked or expired."), invalid=True)
    if request.method not in SAFE_METHODS and token.scope != "read-write":
        abort(403, _("This token may only read. Make a read-write token to change things."))


def current_token() -> ApiToken:
    return g.api_token


def current_person() -> User:
    """The person the request speaks for."""
    return g.api_token.user
