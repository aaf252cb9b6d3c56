"""Who is looking: the signed-in person and the people they share a team with."""

from flask_login import current_user

from kindness.domain.chains.masking import Viewer
from kindness.domain.teams import membership
from kindness.sessions import get_session


def current_viewer() -> Viewer:
    """Who is looking, with the people they share a team with (for team acts)."""
    user_id = current_user.id if current_user.is_authenticated else None
    return membership.viewer_of(get_session(), user_id)


def masking_class() -> str:
    """Who is looking, for a cached picture's key: the person (what an act shows
    depends on their relation to its author: their own, a team mate's, a claim of
    theirs) or an anonymous visitor, who all see the same."""
    return f"user-{current_user.id}" if current_user.is_authenticated else "anonymous"
