"""Personal access tokens: how a program speaks for a person to the JSON API.

A token is shown once, when it is made; only the SHA-256 of its secret is kept.
The secret is 256 random bits, so a fast hash cannot be reversed by guessing,
and it is what every API request is checked against (a slow password hash such
as argon2 would run on each of them). The recognisable prefix lets secret
scanners and people tell a Kindness token from other strings.
"""

import hashlib
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import TOKEN_SCOPES, ApiToken, User

PREFIX = "kind_"
# The characters of a token shown in the list: the prefix and a few of the secret's.
SHOWN = len(PREFIX) + 6
NAME_MAX = 60
# Enough for every phone, bot and site a person has; a bound on what one account keeps.
TOKENS_MAX = 20


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_l("Please give the token a name."), "name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=NAME_MAX), "name")
    return name


def of(session: Session, user: User) -> list[ApiToken]:
    """The person's tokens, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def make(
    session: Session,
    user: User,
    name: str | None,
    scope: str,
    expires_on: date | None,
    today: date,
) -> tuple[ApiToken, str]:
    """Make a token; returns it and its secret, which is never shown again."""
    name = _clean_name(name)
    if scope not in TOKEN_SCOPES:
        raise InvalidInput(_l("Choose what the token may do."), "scope")
    if expires_on is not None and expires_on < today:
        raise InvalidInput(_l("Choose a day from today on, or none."), "expires_on")
    if len(of(session, user)) >= TOKENS_MAX:
        raise RuleViolation(
            _l("You have %(count)d tokens; revoke one first.", count=TOKENS_MAX), "name"
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=secret[:SHOWN],
        secret_hash=_digest(secret),
        scope=scope,
        expires_on=expires_on,
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke(session: Session, user: User, token_id: int) -> None:
    """Revoke one of the person's tokens (anyone else's: NotFound)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    session.delete(token)
    session.flush()


def authenticate(session: Session, secret: str, now: datetime) -> ApiToken | None:
    """The token whose secret this is, with its person loaded; None when it is
    unknown, revoked, past its last day, or its person is suspended. Notes the day
    it was used, once a day."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.secret_hash == _digest(secret))
    )
    today = now.date()
    if token is None or token.user.suspended_at is not None:
        return None
    if token.expires_on is not None and token.expires_on < today:
        return None
    if token.last_used_on != today:
        token.last_used_on = today
        session.flush()
    return token
