"""Whether a member appears in their team's per-person participation view.

Each member chooses for each of their teams; staying out changes only who is
named in the view (``weeks.summarise``), never what the team counts.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain.errors import NotFound
from kindness.models import Membership, Team, User


def is_shown(session: Session, team: Team, user_id: int | None) -> bool | None:
    """Whether the user stays in the team's participation view; None for a non-member."""
    if user_id is None:
        return None
    return session.scalar(
        select(Membership.in_participation).where(
            Membership.team_id == team.id, Membership.user_id == user_id
        )
    )


def choose(session: Session, team: Team, member: User, shown: bool) -> None:
    """Show the member in the team's participation view, or leave them out; only
    their own choice, and only as a member (NotFound for anyone else)."""
    membership = session.get(Membership, (team.id, member.id))
    if membership is None:
        raise NotFound()
    membership.in_participation = shown
    session.flush()
