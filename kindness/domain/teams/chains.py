"""The chains a team's members took part in, as one viewer may see them: the
team's acts to highlight and how often the goodwill left the team.

A fixed number of queries whatever the number of chains: one for the chains'
figures, two for their views (``chains.view.build_many``), one for which of the
shown acts are the team's.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import Viewer
from kindness.models import Act, ChainStats, Membership, Team

LIMIT = 10
# Acts drawn per chain; the rest fold into "+N acts".
BUDGET = 60


@dataclass(frozen=True)
class TeamChain:
    view: chain_view.ChainView
    # References of the team's acts that the viewer may read: a placeholder never
    # says whose it is, so it is never highlighted.
    team_refs: frozenset[str]
    # Forwards from a member's act to an act of someone outside the team.
    left_team: int


def team_chains(
    session: Session, team: Team, viewer: Viewer, limit: int = LIMIT, budget: int = BUDGET
) -> list[TeamChain]:
    """The chains with at least one member's act that the viewer may see, biggest
    reach first, each opened at its root."""
    member_ids = select(Membership.user_id).where(Membership.team_id == team.id)
    roots = select(Act.root_id).where(Act.author_id.in_(member_ids)).distinct().subquery()
    chains = session.scalars(
        select(ChainStats)
        .join(roots, roots.c.root_id == ChainStats.root_id)
        .where(chain_view.shown_to(viewer))
        .order_by(ChainStats.reach.desc(), ChainStats.root_id.desc())
        .limit(limit)
    ).all()
    views = chain_view.build_many(session, chains, viewer, budget)
    shown = [node.id for view in views for node in view.nodes]
    by_team = (
        set(session.scalars(select(Act.id).where(Act.id.in_(shown), Act.author_id.in_(member_ids))))
        if shown
        else set()
    )
    return [
        TeamChain(
            view=view,
            team_refs=frozenset(
                node.ref for node in view.nodes if node.visible and node.id in by_team
            ),
            left_team=sum(
                1 for node in view.nodes if node.parent_id in by_team and node.id not in by_team
            ),
        )
        for view in views
    ]
