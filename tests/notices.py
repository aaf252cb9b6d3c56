"""Helpers for the tests of notices by mail: confirmed people, the periodic tick
under the frozen clock, and the links a received mail carries."""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.jobs import dispatch
from kindness.models import Mail, User
from tests.factories import make_user
from tests.mailbox import Mailbox, Received


def make_person(session: Session, *, confirmed: bool = True, **choices) -> User:
    """A person whose address is confirmed (unless told), with these notice choices
    (``mail_hour=9``, ``daily_idea=True``, ...) on top of the sign-up defaults."""
    user = make_user(
        session,
        **{
            key: choices.pop(key)
            for key in ("time_zone", "locale", "display_name")
            if key in choices
        },
    )
    if confirmed:
        user.email_confirmed_at = datetime(2026, 1, 1, tzinfo=UTC)
    for name, value in choices.items():
        setattr(user, name, value)
    session.commit()
    return user


CHOICES = (
    "notify_claimed",
    "notify_travelled",
    "notify_team_week",
    "notify_week_ends",
    "daily_idea",
    "mail_hour",
)


def choices_of(session: Session, user: User) -> dict:
    """The person's notice choices as they are in the database now."""
    session.expire_all()
    found = session.get(User, user.id)
    assert found is not None
    return {column: getattr(found, column) for column in CHOICES}


def tick(app: Flask) -> None:
    """Run the periodic jobs once, as the scheduler does, at the frozen moment."""
    dispatch.run(app, "tick", {})


def local(day: date, hour: int, minute: int = 5, zone: str = "Europe/Berlin") -> datetime:
    """The moment it is ``hour:minute`` on ``day`` in ``zone``."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def tick_through(app: Flask, clock, mailbox: Mailbox, moments: Iterable[datetime]):
    """Tick at each moment; return (moment, mail) for each mail that arrived then."""
    arrived = []
    for moment in moments:
        clock.move_to(moment)
        before = len(mailbox.received)
        tick(app)
        arrived.extend((moment, mail) for mail in mailbox.received[before:])
    return arrived


def letters(session: Session, user: User | None = None) -> list[Mail]:
    session.expire_all()
    query = select(Mail).where(Mail.kind == "letter").order_by(Mail.id)
    if user is not None:
        query = query.where(Mail.user_id == user.id)
    return list(session.scalars(query))


def path_of(url: str) -> str:
    """The path and query of an absolute link, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def unsubscribe_header(mail: Received) -> str:
    """The one-click unsubscribe URL of a mail, checked to be RFC 8058's pair of headers."""
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(r"<(https?://[^>]+)>", mail.message["List-Unsubscribe"])
    assert match, mail.message["List-Unsubscribe"]
    return match.group(1)


def links(text: str, endpoint_path: str) -> list[str]:
    """The absolute links in ``text`` whose path starts with ``endpoint_path``."""
    return [
        url
        for url in re.findall(r"https?://\S+", text)
        if urlsplit(url).path.startswith(endpoint_path)
    ]
