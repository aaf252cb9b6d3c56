"""Who an API request speaks for: the personal access token in its
``Authorization: Bearer`` header, and nothing else (a session cookie does not
count, so a page cannot be made to call the API on a visitor's behalf and the
API needs no CSRF token). A read token may only read. Each token has its own
rate limit."""

import hashlib
import json

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
    """Make every view of ``blueprint`` need a token, within the token's rate limit."""
    csrf.exempt(blueprint)
    limiter.limit(
        lambda: current_app.config["API_RATE_LIMIT"],
        key_func=_presented_token_key,
        exempt_when=lambda: not current_app.config["API_RATE_LIMIT"],
    )(blueprint)
    blueprint.before_request(_refuse_nul_characters)
    blueprint.before_request(_refuse_lone_surrogates)
    blueprint.before_request(_authenticate)
    blueprint.after_request(_keep_private)


def _refuse_nul_characters() -> None:
    """JSON may spell NUL as \\u0000; no text here needs it and PostgreSQL cannot
    store it (the pages refuse it in forms: ``kindness.web.security``)."""
    if b"\\u0000" in request.get_data(cache=True):
        abort(400, _("Text may not contain NUL characters."))


def _refuse_lone_surrogates() -> None:
    """JSON may also spell half of a UTF-16 pair alone (\\ud800): no UTF-8 text,
    and so no database, can hold it (the driver would raise, a 500)."""
    body = request.get_json(silent=True)
    if body is None:
        return
    try:
        json.dumps(body, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        abort(400, _("Text may not contain half of a UTF-16 surrogate pair alone."))


def _keep_private(response: Response) -> Response:
    """An answer speaks for one token's person: no cache keeps it."""
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.add("Authorization")
    return response


def _secret() -> str:
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _presented_token_key() -> str:
    """The rate limit's key: the token presented (its digest), else the address."""
    secret = _secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode()).hexdigest()
    return "address:" + (request.remote_addr or "")


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
    token = api_tokens.authenticate(get_session(), secret, utcnow())
    if token is None:
        raise _unauthorized(_("This token is unknown, revoked or expired."), invalid=True)
    if request.method not in SAFE_METHODS and token.scope != "read-write":
        abort(403, _("This token may only read. Make a read-write token to change things."))
    g.api_token = token


def current_token() -> ApiToken:
    return g.api_token


def current_person() -> User:
    """The person the request speaks for."""
    return g.api_token.user
