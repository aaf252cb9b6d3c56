"""How a chain grew: its figures and weeks, counted from its acts."""

from datetime import date

import pytest

from kindness.domain.chains import growth
from kindness.models import ChainStats
from tests.factories import claim, make_act, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def grown(session):
    """ada's private root (Wed 4 Nov), which ben passed on twice in the week of
    9 Nov; cy passed one of those on in the week of 23 Nov. Nothing in the week of 16 Nov."""
    ada, ben, cy = (make_user(session) for _ in range(3))
    root = make_act(session, ada, date(2026, 11, 4))
    claim(session, root, ben)
    public = make_act(session, ben, date(2026, 11, 11), visibility="public", parent=root)
    private = make_act(session, ben, date(2026, 11, 12), parent=root)
    claim(session, public, cy)
    leaf = make_act(session, cy, date(2026, 11, 26), visibility="public", parent=public)
    return {"root": root, "public": public, "private": private, "leaf": leaf}


def test_the_figures_of_a_fixed_chain(session, grown):
    stats = session.get(ChainStats, grown["root"].id)
    figures = growth.of_chain(session, stats)
    assert figures.acts == 4
    # ada, ben, cy, and the unnamed recipients of the two unclaimed acts.
    assert figures.reach == stats.reach == 5
    assert figures.generations == 3
    assert figures.widest_generation == 2
    assert figures.branches == 1  # the root, passed on twice
    assert figures.passed_on == 2  # the root and the public forward
    assert figures.passed_on_share == 0.5
    assert figures.span_weeks == 4
    assert figures.weeks == (
        (date(2026, 11, 2), 1),
        (date(2026, 11, 9), 2),
        (date(2026, 11, 16), 0),
        (date(2026, 11, 23), 1),
    )


def test_weeks_are_mondays_never_days(session, grown):
    root_id = grown["root"].id
    weeks = growth.weeks(session, root_id)
    assert weeks[grown["root"].id] == date(2026, 11, 2)
    assert weeks[grown["private"].id] == date(2026, 11, 9)
    assert all(week.weekday() == 0 for week in weeks.values())
    figures = growth.of_chain(session, session.get(ChainStats, root_id))
    indexes = growth.week_indexes(
        session, figures, root_id, [grown["leaf"].id, grown["private"].id]
    )
    assert indexes == {grown["leaf"].id: 3, grown["private"].id: 1}
    assert growth.week_indexes(session, figures, root_id, []) == {}


def test_a_single_act_and_a_binary_tree(session):
    ada, ben = make_user(session), make_user(session)
    single = make_act(session, ada, date(2026, 11, 23))
    alone = growth.of_chain(session, session.get(ChainStats, single.id))
    assert (alone.acts, alone.generations, alone.widest_generation) == (1, 1, 1)
    assert (alone.branches, alone.passed_on, alone.passed_on_share, alone.span_weeks) == (
        0, 0, 0.0, 1,
    )  # fmt: skip
    tree = make_tree(session, ada, ben, 15)
    full = growth.of_chain(session, session.get(ChainStats, tree[0].id))
    # Four full generations: 7 acts passed on, each twice; 8 leaves.
    assert (full.acts, full.generations, full.widest_generation) == (15, 4, 8)
    assert (full.branches, full.passed_on) == (7, 7)
    assert full.passed_on_share == pytest.approx(7 / 15)
    assert full.as_data()["passed_on_share"] == round(7 / 15, 4)
