"""The chains a team's members took part in, as one viewer may see them: the
team's acts to highlight and how often the goodwill went beyond the team.

Chains of one act say little on their own, so they are only counted ("14 acts
not yet passed on"); the others come a page at a time, those that went beyond
the team first, then by reach. A fixed number of queries whatever the number
of chains: one for the counts, one for the page's chains with how often each
went beyond the team, two for their views (``chains.view.build_many``), one for
which of the shown acts are the team's.
"""

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import Viewer
from kindness.models import Act, ChainStats, Membership, Team

PAGE_SIZE = 20
# Acts drawn per chain; the rest fold into "+N acts".
BUDGET = 60


@dataclass(frozen=True)
class TeamChain:
    view: chain_view.ChainView
    # References of the team's acts that the viewer may read: a placeholder never
    # says whose it is, so it is never highlighted.
    team_refs: frozenset[str]
    # Forwards, anywhere in the chain, from a member's act to someone outside the team.
    left_team: int


@dataclass(frozen=True)
class TeamChains:
    chains: list[TeamChain]
    number: int  # this page, from 1
    pages: int
    # Members' acts that are a chain on their own: nobody has passed them on yet.
    not_passed_on: int


def team_chains(
    session: Session,
    team: Team,
    viewer: Viewer,
    page: int = 1,
    size: int = PAGE_SIZE,
    budget: int = BUDGET,
) -> TeamChains:
    """One page of the chains with at least one member's act that the viewer may
    see, each opened at its root; a page number out of range shows the nearest page."""
    member_ids = select(Membership.user_id).where(Membership.team_id == team.id)
    roots = select(Act.root_id).where(Act.author_id.in_(member_ids)).distinct().subquery()
    parent, child = aliased(Act), aliased(Act)
    left = (
        select(parent.root_id.label("root_id"), func.count(child.id).label("forwards"))
        .join(child, child.parent_id == parent.id)
        .where(parent.author_id.in_(member_ids), child.author_id.not_in(member_ids))
        .group_by(parent.root_id)
        .subquery()
    )
    passed_on, single = session.execute(
        select(
            func.coalesce(func.sum(case((ChainStats.acts > 1, 1), else_=0)), 0),
            func.coalesce(func.sum(case((ChainStats.acts == 1, 1), else_=0)), 0),
        )
        .select_from(ChainStats)
        .join(roots, roots.c.root_id == ChainStats.root_id)
        .where(chain_view.shown_to(viewer))
    ).one()
    pages = max(1, -(-passed_on // size))
    number = min(max(1, page), pages)
    rows = (
        session.execute(
            select(ChainStats, func.coalesce(left.c.forwards, 0))
            .join(roots, roots.c.root_id == ChainStats.root_id)
            .outerjoin(left, left.c.root_id == ChainStats.root_id)
            .where(chain_view.shown_to(viewer), ChainStats.acts > 1)
            .order_by(
                case((left.c.root_id.is_(None), 1), else_=0),
                ChainStats.reach.desc(),
                ChainStats.root_id.desc(),
            )
            .offset((number - 1) * size)
            .limit(size)
        ).all()
        if passed_on
        else []
    )
    views = chain_view.build_many(session, [stats for stats, _left in rows], viewer, budget)
    forwards = {stats.root_id: count for stats, count in rows}
    shown = [node.id for view in views for node in view.nodes]
    by_team = (
        set(session.scalars(select(Act.id).where(Act.id.in_(shown), Act.author_id.in_(member_ids))))
        if shown
        else set()
    )
    chains = [
        TeamChain(
            view=view,
            team_refs=frozenset(
                node.ref for node in view.nodes if node.visible and node.id in by_team
            ),
            left_team=forwards[view.stats.root_id],
        )
        for view in views
    ]
    return TeamChains(chains=chains, number=number, pages=pages, not_passed_on=single)
