"""Who is looking: the signed-in person and the people they share a team with."""

from flask_login import current_user

from kindness.domain.chains.masking import Viewer
from kindness.domain.teams import membership
from kindness.sessions import get_session


def current_viewer() -> Viewer:
    """Who is looking, with the people they share a team with (for team acts)."""
    if current_user.is_authenticated:
        return Viewer(
            user_id=current_user.id,
            team_mates=membership.team_mates(get_session(), current_user.id),
        )
    return Viewer()
