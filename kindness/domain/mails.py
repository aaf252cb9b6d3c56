"""The mail log: every message to send, once, and what became of it.

A mail is queued under a key naming its event; queueing the same key again
finds the row and queues nothing, so a retried job never mails twice. Sending
claims the row first (``queued`` → ``sending``): two workers handed the same
mail cannot both send it. A failed attempt waits with a growing back-off and is
retried by the periodic jobs; after ``MAX_ATTEMPTS`` (or a refusal that no retry
can cure) it is ``failed``, with the reason kept.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kindness.domain import outbox
from kindness.models import ACCOUNT_MAIL_KINDS, MAIL_STATES, Mail, User

MAX_ATTEMPTS = 6
# Waits after the 1st, 2nd, ... failed attempt: 1 min, 5 min, 15 min, 1 h, 4 h.
BACK_OFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
# A mail left ``sending`` this long belongs to a worker that died: try it again
# (the setting MAIL_STALE_SECONDS, read by the periodic job).
STALE_SENDING = timedelta(minutes=15)
# A mail still ``queued`` this long after it was made, with no retry planned, lost its
# job (a worker failed before taking it, Redis lost it): queue its job again.
LOST_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class Outgoing:
    """What the sender needs of a claimed mail."""

    id: int
    key: str
    kind: str
    to_address: str
    user_id: int | None
    params: dict[str, Any]


def may_mail_notices(user: User) -> bool:
    """Notices go only to a confirmed address of an account in good standing."""
    return user.email_confirmed_at is not None and user.suspended_at is None


def queue(
    session: Session,
    *,
    key: str,
    kind: str,
    to_address: str,
    user: User | None,
    params: dict[str, Any] | None = None,
) -> Mail | None:
    """Queue a mail under ``key`` and its sending job; None when the key was queued before."""
    if kind not in ACCOUNT_MAIL_KINDS and user is not None and not may_mail_notices(user):
        return None
    if session.scalar(select(Mail.id).where(Mail.key == key)) is not None:
        return None
    mail = Mail(
        key=key,
        kind=kind,
        to_address=to_address,
        user_id=user.id if user is not None else None,
        params=json.dumps(params or {}, sort_keys=True),
    )
    try:
        with session.begin_nested():
            session.add(mail)
    except IntegrityError:  # another transaction queued the same key just now
        return None
    outbox.later(session, "send_mail", mail_id=mail.id)
    return mail


def claim(session: Session, mail_id: int, now: datetime | None = None) -> Outgoing | None:
    """Take a queued mail for sending; None when it is sent, failed, taken by another,
    or waiting out its back-off (a stray copy of its job must not cut the wait short)."""
    now = now or datetime.now(UTC)
    taken = session.execute(  # type: ignore[attr-defined]
        update(Mail)
        .where(
            Mail.id == mail_id,
            Mail.state == "queued",
            or_(Mail.next_attempt_at.is_(None), Mail.next_attempt_at <= now),
        )
        .values(state="sending", attempts=Mail.attempts + 1, next_attempt_at=now)
    ).rowcount
    if taken != 1:
        return None
    mail = session.get(Mail, mail_id, populate_existing=True)
    assert mail is not None
    return Outgoing(
        id=mail.id,
        key=mail.key,
        kind=mail.kind,
        to_address=mail.to_address,
        user_id=mail.user_id,
        params=json.loads(mail.params),
    )


def mark_sent(session: Session, mail_id: int, now: datetime | None = None) -> None:
    session.execute(
        update(Mail)
        .where(Mail.id == mail_id)
        .values(state="sent", sent_at=now or datetime.now(UTC), next_attempt_at=None, error=None)
    )


def mark_skipped(session: Session, mail_id: int, reason: str) -> None:
    """Nothing was left to say (the act is gone, the notice turned off): not a failure."""
    session.execute(
        update(Mail)
        .where(Mail.id == mail_id)
        .values(state="skipped", next_attempt_at=None, error=reason[:2000])
    )


def mark_failed(
    session: Session, mail_id: int, error: str, *, permanent: bool, now: datetime | None = None
) -> str:
    """Record a failed attempt: wait and retry, or give up. Returns the new state."""
    now = now or datetime.now(UTC)
    mail = session.get(Mail, mail_id, populate_existing=True)
    assert mail is not None
    if permanent or mail.attempts >= MAX_ATTEMPTS:
        mail.state, mail.next_attempt_at = "failed", None
    else:
        wait = BACK_OFF[min(mail.attempts, len(BACK_OFF)) - 1]
        mail.state, mail.next_attempt_at = "queued", now + wait
    mail.error = error[:2000]
    session.flush()
    return mail.state


def due_for_retry(
    session: Session,
    now: datetime | None = None,
    limit: int = 500,
    stale_after: timedelta = STALE_SENDING,
) -> list[int]:
    """Put back in the queue the mails whose back-off is over, and those a dead worker
    left ``sending`` for ``stale_after``.

    Their ids are written to the outbox again, so the relay hands them to the queue.
    """
    now = now or datetime.now(UTC)
    stale = (Mail.state == "sending", Mail.next_attempt_at <= now - stale_after)
    session.execute(
        update(Mail)
        .where(*stale, Mail.attempts >= MAX_ATTEMPTS)
        .values(state="failed", next_attempt_at=None, error="stopped while sending, each time")
    )
    session.execute(update(Mail).where(*stale).values(state="queued"))
    ids = list(
        session.scalars(
            select(Mail.id)
            .where(
                Mail.state == "queued",
                or_(
                    Mail.next_attempt_at <= now,
                    and_(Mail.next_attempt_at.is_(None), Mail.created_at <= now - LOST_AFTER),
                ),
            )
            .order_by(Mail.id)
            .limit(limit)
        )
    )
    waiting = outbox.pending_arguments(session, "send_mail")
    ids = [mail_id for mail_id in ids if {"mail_id": mail_id} not in waiting]
    for mail_id in ids:
        outbox.later(session, "send_mail", mail_id=mail_id)
    if ids:
        # Until the relay runs, they are no longer due: a second sweep queues nothing twice.
        session.execute(update(Mail).where(Mail.id.in_(ids)).values(next_attempt_at=None))
    return ids


def count_by_state(session: Session) -> dict[str, int]:
    """How many mails are in each state (every state named, 0 when none): one
    grouped count over the state index."""
    counts = dict.fromkeys(MAIL_STATES, 0)
    for state, count in session.execute(select(Mail.state, func.count()).group_by(Mail.state)):
        counts[state] = count
    return counts
