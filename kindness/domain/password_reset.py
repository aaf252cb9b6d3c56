"""Resetting a forgotten password with a mailed link.

Asking never tells whether an account uses the address: the mail goes only when
one does (and is not suspended), and the asker reads the same either way. The
link is signed, works for one hour, and names a fingerprint of the password
hash it replaces: once a new password is set (here or in the settings), the
fingerprint no longer matches and the link is used up. Opening it proves the
mailbox, so it also confirms the address it was sent to.
"""

import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import Session

from kindness.domain import accounts, links, mails, outbox, tokens
from kindness.domain.errors import InvalidCredentials
from kindness.domain.passwords import Passwords
from kindness.models import Mail, User

PURPOSE = "reset"
MAX_AGE = timedelta(hours=1)


def _used() -> links.BadLink:
    return links.used(
        _l("This link was used already, or the password was changed since: it works only once.")
    )


def ask(session: Session, email: str) -> None:
    """Ask for a reset link for ``email``, whoever asks: the account is looked up by a
    job after the answer (``request``), so the answer takes as long whether or not an
    account uses the address."""
    outbox.later(session, "password_reset", email=email)


def request(session: Session, email: str) -> Mail | None:
    """Queue a reset mail when an account in good standing uses ``email``; else nothing."""
    user = accounts.find_by_email(session, email)
    if user is None or user.suspended_at is not None:
        return None
    return mails.queue(
        session,
        key=f"reset:{user.id}:{secrets.token_urlsafe(12)}",
        kind="reset",
        to_address=user.email,
        user=user,
        params={"address": user.email},
    )


def token_for(secret_key: str, user: User, address: str) -> str:
    """A link's token for ``user``, mailed to ``address``, bound to the password of now."""
    return tokens.make(
        secret_key, PURPOSE, [user.id, tokens.fingerprint(user.password_hash), address]
    )


def check(session: Session, secret_key: str, token: str, *, moderation_contact: str) -> User:
    """The account a link resets; BadLink when it is broken, older than an hour or used,
    InvalidCredentials (with the moderators' address) when the account is suspended."""
    return _open(session, secret_key, token, moderation_contact)[0]


def _open(
    session: Session, secret_key: str, token: str, moderation_contact: str
) -> tuple[User, str]:
    """The account a link resets and the address it was mailed to."""
    payload = links.read(
        secret_key,
        PURPOSE,
        token,
        int(MAX_AGE.total_seconds()),
        _l("This link is more than an hour old and no longer works."),
    )
    user_id, fingerprint, address = _unpack(payload)
    user = session.get(User, user_id)
    if user is None or tokens.fingerprint(user.password_hash) != fingerprint:
        raise _used()
    if user.suspended_at is not None:
        raise InvalidCredentials(accounts.suspension_message(moderation_contact))
    return user, address


def reset(
    session: Session,
    hasher: Passwords,
    secret_key: str,
    token: str,
    password: str,
    *,
    moderation_contact: str,
    now: datetime | None = None,
) -> User:
    """Set a new password through a link: every session of the account ends, and the
    address the link was mailed to is confirmed."""
    user, address = _open(session, secret_key, token, moderation_contact)
    accounts.check_password_rules(password)
    # Conditional on the hash the link was made for: of two requests with one link,
    # only the first sets a password.
    changed = session.execute(  # type: ignore[attr-defined]
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(password_hash=hasher.hash(password))
    ).rowcount
    if changed != 1:
        raise _used()
    session.refresh(user)
    if user.email_confirmed_at is None and address == user.email:
        user.email_confirmed_at = now or datetime.now(UTC)
    accounts.revoke_sessions(session, user)
    return user


def _unpack(payload) -> tuple[int, str, str]:
    if isinstance(payload, list) and len(payload) == 3:
        user_id, fingerprint, address = payload
        if isinstance(user_id, int) and isinstance(fingerprint, str) and isinstance(address, str):
            return user_id, fingerprint, address
    raise _used()  # signed by us, yet not of this shape: a token of an older form
