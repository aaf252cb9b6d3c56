"""A big chain's page reads only what it shows: its shape is read once per chain
version and kept, each view then reads the acts it shows. The folding is the one
of before (``tests.chain_fold_reference``): the same acts, the same "+N acts"."""

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import acts
from kindness.domain.acts import ActInput
from kindness.domain.chains import view as chain_view
from kindness.domain.chains.masking import Viewer
from kindness.models import Act, ChainStats, User
from tests.chain_fold_reference import reference_plan
from tests.chain_shapes import insert_chain, insert_people, line, shape
from tests.clock import TODAY

pytestmark = pytest.mark.usefixtures("clock")


def random_tree(rng: random.Random, size: int) -> list[int | None]:
    """Parents first; mostly the newest acts passed on, some acts many times."""
    parents: list[int | None] = [None]
    for number in range(1, size):
        if rng.random() < 0.6:
            parents.append(rng.randrange(max(0, number - 8), number))
        else:
            parents.append(
                rng.randrange(number) if rng.random() < 0.5 else rng.randrange(min(3, number))
            )
    return parents


def fields(plan):
    return (plan.shown, plan.collapsed, plan.path, plan.gap)


def rows_of(parents):
    depth: list[int] = []
    for parent in parents:
        depth.append(0 if parent is None else depth[parent] + 1)
    # Ids out of position order, as a chain's are once it has grown in places.
    ids = [10 * n + 7 if n % 3 else 5 * n + 100_000 for n in range(len(parents))]
    rows = [(ids[n], None if p is None else ids[p], depth[n]) for n, p in enumerate(parents)]
    return sorted(rows, key=lambda row: (row[2], row[0]))


@pytest.mark.parametrize("seed", range(12))
def test_plans_on_a_kept_shape_equal_the_plans_of_before(seed):
    rng = random.Random(seed)
    parents = random_tree(rng, rng.choice((50, 400, 3000)))
    if seed % 4 == 0:
        parents = line(rng.choice((150, 400)))  # deep: the fold above the opened act
    rows = rows_of(parents)
    structure = chain_view.Structure(rows)
    for _ in range(8):
        start = rng.choice(rows)[0]
        chosen = rng.choice(rows)[0]
        skip = rng.choice((0, 0, 1, 3, 50))
        budget = rng.choice((chain_view.BUDGET, 40, 7))
        width = rng.choice((chain_view.WIDTH, None, 3))
        depth = rng.choice((chain_view.DEPTH, None, 2))
        expected = reference_plan(rows, start, chosen, skip, budget, width, depth)
        found = structure.plan(start, chosen, skip, budget, width, depth)
        assert fields(found) == fields(expected)


BIG = 6_000
DEEP = 2_500


@pytest.fixture
def big(session):
    """A tent-shaped chain of 6,000 acts and a line 2,500 acts deep."""
    people = insert_people(session, 30)
    session.commit()
    chain_view.clear_cache()
    tent = insert_chain(session, shape(BIG, 30), people, day=TODAY - timedelta(days=30))
    deep = insert_chain(session, line(DEEP), people, day=TODAY - timedelta(days=30))
    return people, tent, deep


def reference_view(session, stats, act_id, start_id, skip=0):
    rows = session.execute(
        select(Act.id, Act.parent_id, Act.depth)
        .where(Act.root_id == stats.root_id)
        .order_by(Act.depth, Act.id)
    ).all()
    return reference_plan(rows, start_id, act_id, skip, chain_view.BUDGET)


def shown_of(view):
    return (
        [node.id for node in view.nodes],
        [(c.parent_id, c.hidden, c.skip) for c in view.collapsed],
        view.path,
        (view.gap.hidden, view.gap.open_ref) if view.gap else None,
    )


def expected_of(session, plan):
    gap = None
    if plan.gap:
        gap = (plan.gap[1], session.scalar(select(Act.ref).where(Act.id == plan.gap[0])))
    return (plan.shown, plan.collapsed, plan.path, gap)


def test_a_big_chain_shows_what_it_showed_and_reads_only_that(session, big, count_queries):
    _people, tent, deep = big
    viewer = Viewer()
    for ids, picks in ((tent, (0, 7, 4_000, BIG - 1)), (deep, (0, 150, DEEP - 1))):
        stats = session.get(ChainStats, ids[0])
        for pick in picks:
            act = session.get(Act, ids[pick])
            plan = reference_view(session, stats, act.id, stats.root_id)
            view = chain_view.build(session, act, stats, viewer)
            if act.id not in plan.shown:  # opened at the act, as before
                plan = reference_view(session, stats, act.id, act.id)
                assert view.open_ref == act.ref
            assert shown_of(view) == expected_of(session, plan)
            # Opened further down, with a skip: the same again.
            opened = session.get(Act, ids[pick // 2])
            view = chain_view.build(session, act, stats, viewer, open_ref=opened.ref, skip=2)
            plan = reference_view(session, stats, act.id, opened.id, skip=2)
            assert shown_of(view) == expected_of(session, plan)

    # Once its shape is kept, a view reads the acts it shows and nothing else.
    stats = session.get(ChainStats, tent[0])
    root = session.get(Act, tent[0])
    with count_queries() as counter:
        view = chain_view.build(session, root, stats, viewer)
    assert len(counter.statements) == 1
    [statement] = counter.statements
    assert "root_id" not in statement.split("WHERE", 1)[1]
    assert len(re.findall(r"%\(|\?", statement.split("WHERE", 1)[1])) <= len(view.nodes) + 2
    assert sum(c.hidden for c in view.collapsed) + len(view.nodes) == BIG


def test_a_new_forward_or_a_removal_shows_at_once(session, big):
    _people, tent, _deep = big
    viewer = Viewer()
    root = session.get(Act, tent[0])
    stats = session.get(ChainStats, tent[0])
    before = chain_view.build(session, root, stats, viewer)
    assert sum(c.hidden for c in before.collapsed) + len(before.nodes) == BIG

    # A forward below the root's first child: it is counted, or shown, at once.
    parent = session.get(Act, tent[1])
    taker = session.get(User, parent.recipient_id)
    acts.log(session, taker, ActInput(what="One more", parent_ref=parent.ref), TODAY)
    session.commit()
    session.refresh(stats)
    after = chain_view.build(session, root, stats, viewer)
    assert sum(c.hidden for c in after.collapsed) + len(after.nodes) == BIG + 1
    assert shown_of(after) == expected_of(session, reference_view(session, stats, root.id, root.id))

    # A leaf removed far below: the figures drop at once.
    leaf = session.get(Act, tent[-1])
    acts.remove(session, leaf)
    session.commit()
    session.refresh(stats)
    again = chain_view.build(session, root, stats, viewer)
    assert sum(c.hidden for c in again.collapsed) + len(again.nodes) == BIG
    assert shown_of(again) == expected_of(session, reference_view(session, stats, root.id, root.id))


def test_a_shape_kept_from_a_chain_that_changed_under_the_same_figures_is_read_again(session, big):
    """Even were the figures the same (a frozen clock, a removal then a forward),
    a kept shape whose acts no longer match what is read is dropped and read again."""
    _people, tent, _deep = big
    viewer = Viewer()
    root = session.get(Act, tent[0])
    stats = session.get(ChainStats, tent[0])
    chain_view.build(session, root, stats, viewer)
    key = chain_view.version(stats)
    kept = chain_view._cached(session, key)
    assert kept is not None
    # Pretend the kept shape is another chain's: the first child's id is off.
    wrong = chain_view.Structure(
        [(row if row[0] != tent[1] else (10**9, row[1], row[2])) for row in _rows(kept)]
    )
    chain_view._keep(session, key, wrong)
    view = chain_view.build(session, root, stats, viewer)
    assert shown_of(view) == expected_of(session, reference_view(session, stats, root.id, root.id))
    assert chain_view._cached(session, key) is not wrong


def _rows(structure):
    return [
        (
            structure.ids[n],
            structure.ids[structure.parents[n]] if structure.parents[n] >= 0 else None,
            0,
        )
        for n in range(structure.count)
    ]


def test_team_style_views_of_several_big_chains_read_only_what_they_show(
    session, big, count_queries
):
    _people, tent, deep = big
    viewer = Viewer()
    chains = [session.get(ChainStats, tent[0]), session.get(ChainStats, deep[0])]
    first = chain_view.build_many(session, chains, viewer)
    with count_queries() as counter:
        again = chain_view.build_many(session, chains, viewer)
    assert len(counter.statements) == 1  # the acts shown; the shapes were kept
    for view, stats in zip(again, chains, strict=True):
        expected = reference_view(session, stats, stats.root_id, stats.root_id)
        assert shown_of(view) == expected_of(session, expected)
    assert [shown_of(view) for view in first] == [shown_of(view) for view in again]
