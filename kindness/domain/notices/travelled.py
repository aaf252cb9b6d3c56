"""A new forward, told to the authors above it: run as a job after the forward's
commit (``kindness.jobs.notices``), never inside the request that logged it.

Each author above gets the inbox notice (``inbox.notify_travelled``); those who
chose "travelled: immediately" also get a mail, once per forward (its key names
the person and the forward). Everyone else hears of it in their daily or weekly
letter, or not at all.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import inbox, mails
from kindness.models import Act, User


def key(user_id: int, forward_id: int) -> str:
    return f"travelled:{user_id}:{forward_id}"


def fan_out(session: Session, forward_id: int) -> int:
    """Tell the authors above the forward; return how many mails were queued."""
    forward = session.get(Act, forward_id)
    if forward is None or forward.removed_at is not None:
        return 0  # deleted before the job ran: nothing travelled
    # The notices are written in the database; only those who chose to hear at
    # once come back, with their act nearest the root.
    above = inbox.notify_travelled(session, forward)
    if not above:
        return 0
    queued = 0
    for user in session.scalars(select(User).where(User.id.in_(list(above))).order_by(User.id)):
        mail = mails.queue(
            session,
            key=key(user.id, forward.id),
            kind="travelled",
            to_address=user.email,
            user=user,
            params={"act_id": above[user.id], "forward_id": forward.id},
        )
        queued += mail is not None
    return queued
