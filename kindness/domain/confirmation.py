"""Confirming an address: the link mailed after sign-up, on request, and to a new
address when a person changes theirs.

A new address waits in ``pending_email`` and becomes the login and mail
address only once its link is opened; the old address is then told. The link
names the account and the address it confirms, so it stops working once the
address it names is neither the account's address nor the one waiting (the
address changed since), and once that address is confirmed (used).
"""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from kindness.domain import accounts, links, mails, tokens
from kindness.domain.errors import InvalidInput, RuleViolation
from kindness.domain.passwords import Passwords
from kindness.models import Mail, User

PURPOSE = "confirm"
MAX_AGE = timedelta(days=7)


@dataclass(frozen=True)
class Confirmed:
    user: User
    address: str
    # The address the account had before, when the link confirmed a change.
    old_address: str | None = None


OUTDATED = _l(
    "This link no longer works: the change it was sent for was confirmed, cancelled"
    " or replaced since."
)


def waiting_address(user: User) -> str | None:
    """The address a link waits for: a new one being changed to, else the account's
    own while it is unconfirmed; None when nothing waits."""
    if user.pending_email:
        return user.pending_email
    if user.email_confirmed_at is None:
        return user.email
    return None


def still_waits(user: User, address: str) -> bool:
    """Whether a link for ``address`` would still confirm something (for a mail about to go)."""
    if address == user.pending_email:
        return True
    return address == user.email and user.email_confirmed_at is None


def send_link(session: Session, user: User) -> Mail | None:
    """Queue a mail with a link to the address that waits (after sign-up, a change of
    address, or when asked again)."""
    address = waiting_address(user)
    if address is None:
        raise RuleViolation(_l("Your address is confirmed already."))
    return mails.queue(
        session,
        key=f"confirm:{user.id}:{secrets.token_urlsafe(12)}",
        kind="confirm",
        to_address=address,
        user=user,
        params={"address": address},
    )


def token_for(secret_key: str, user_id: int, address: str) -> str:
    return tokens.make(secret_key, PURPOSE, [user_id, address])


def confirm(
    session: Session, secret_key: str, token: str, now: datetime | None = None
) -> Confirmed:
    """Open a link: confirm the account's address, or make the waiting one the
    account's address (and tell the old one). BadLink when it does not work."""
    payload = links.read(
        secret_key,
        PURPOSE,
        token,
        int(MAX_AGE.total_seconds()),
        _l("This link is more than seven days old and no longer works."),
    )
    user_id, address = _unpack(payload)
    user = session.get(User, user_id)
    now = now or datetime.now(UTC)
    if user is not None and user.pending_email and address == user.pending_email:
        return _change_address(session, user, now)
    if user is not None and address == user.email:
        if user.email_confirmed_at is not None:
            raise links.used(
                _l(
                    "This link was used already: your address %(address)s is confirmed.",
                    address=address,
                )
            )
        user.email_confirmed_at = now
        session.flush()
        return Confirmed(user, address)
    raise links.used(OUTDATED)


def _unpack(payload) -> tuple[int, str]:
    if (
        isinstance(payload, list)
        and len(payload) == 2
        and isinstance(payload[0], int)
        and isinstance(payload[1], str)
    ):
        return payload[0], payload[1]
    # Signed by us, yet not of this shape: a token of an older form.
    raise links.used(OUTDATED)


def _change_address(session: Session, user: User, now: datetime) -> Confirmed:
    new = user.pending_email
    assert new is not None
    # Someone may have signed up with it while the link was on its way.
    accounts.ensure_email_free(session, new, except_user=user)
    old = user.email
    user.email, user.pending_email, user.email_confirmed_at = new, None, now
    session.flush()
    mails.queue(
        session,
        key=f"address_changed:{user.id}:{secrets.token_urlsafe(12)}",
        kind="address_changed",
        to_address=old,
        user=user,
        params={"old": old, "new": new},
    )
    return Confirmed(user, new, old_address=old)


def request_change(
    session: Session, hasher: Passwords, user: User, email: str, password: str
) -> str:
    """Ask to change the address (the current password proves it is the person): the
    new one waits for its link, the old one stays the login until then. Returns the
    new address."""
    accounts.require_password(hasher, user, password)
    email = accounts.clean_email(email)
    if email == user.email:
        raise InvalidInput(_l("This is your address already."), "email")
    accounts.ensure_email_free(session, email, except_user=user)
    user.pending_email = email
    session.flush()
    send_link(session, user)
    return email


def cancel_change(session: Session, user: User) -> None:
    """Forget the address that waits; its links stop working."""
    if not user.pending_email:
        raise RuleViolation(_l("No change of address is waiting."))
    user.pending_email = None
    session.flush()
