"""The notice jobs: a new forward told to the authors above it, the team weeks
that began (in their team's time zone), and the daily letters due this minute
(the last two run by the periodic tick)."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from kindness.domain.notices import letters
from kindness.domain.notices import travelled as travelled_notices
from kindness.domain.teams import weeks


def travelled(session: Session, act_id: int) -> None:
    """Fan a new forward out to the inbox (and the mail) of every author above it."""
    travelled_notices.fan_out(session, act_id)


def queue_letters(session: Session, now: datetime | None = None) -> None:
    """Queue the daily letters whose hour it is now, in each person's own time zone."""
    letters.queue_due(session, now or datetime.now(UTC))


def tell_weeks_started(session: Session, now: datetime | None = None) -> None:
    """Tell the members of each team week whose first day has begun, once."""
    weeks.tell_started(session, now or datetime.now(UTC))
