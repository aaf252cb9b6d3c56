"""The notice jobs: a new forward told to the authors above it, and the daily
letters due this minute (run by the periodic tick)."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kindness.domain.notices import letters
from kindness.domain.notices import travelled as travelled_notices


def travelled(session: Session, act_id: int) -> None:
    """Fan a new forward out to the inbox (and the mail) of every author above it."""
    travelled_notices.fan_out(session, act_id)


def queue_letters(session: Session, now: datetime | None = None) -> None:
    """Queue the daily letters whose hour it is now, in each person's own time zone."""
    letters.queue_due(session, now or datetime.now(UTC))
