"""Where one's kindness went: the acts that travelled furthest, and their counts."""

from datetime import timedelta

import pytest

from kindness.domain.chains import ripples
from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")


def forwards(session, act, by, count, day=None):
    """``by`` claims ``act`` and passes it on ``count`` times (to nobody named)."""
    claim(session, act, by)
    return [
        make_act(
            session,
            by,
            day or act.performed_on,
            what=f"Forward {n} by {by.display_name}",
            parent=act,
        )
        for n in range(count)
    ]


def fixed_tree(session):
    """Ada's act, claimed by Ben, who passed it on twice; Cy claimed one of those
    and passed it on privately. Below Ada's act: 3 acts in 2 generations, reaching
    Ben, Cy and two unnamed people."""
    ada, ben, cy = (make_user(session, display_name=name) for name in ("Ada", "Ben", "Cy"))
    root = make_act(session, ada, TODAY - timedelta(days=3), what="Ada's root")
    first, second = forwards(session, root, ben, 2)
    private = forwards(session, second, cy, 1)[0]
    return ada, ben, cy, root, (first, second, private)


def test_figures_of_a_fixed_tree(session):
    ada, _ben, _cy, root, _below = fixed_tree(session)
    found = ripples.below(session, ada.id, root.id)
    assert found is not None
    assert (found.act_id, found.ref, found.what) == (root.id, root.ref, "Ada's root")
    assert (found.acts_below, found.generations, found.people) == (3, 2, 4)
    assert found.per_generation == (2, 1)
    assert ripples.furthest(session, ada.id, TODAY) == [found]


def test_nothing_below_someone_elses_act_or_an_act_that_did_not_travel(session):
    ada, ben, cy, _root, (first, second, private) = fixed_tree(session)
    # Ben's second act travelled; it is not Ada's to look at.
    assert ripples.below(session, ada.id, second.id) is None
    assert ripples.below(session, ben.id, second.id).per_generation == (1,)
    assert ripples.below(session, ben.id, first.id) is None
    assert ripples.below(session, cy.id, private.id) is None
    assert ripples.furthest(session, cy.id, TODAY) == []


def test_the_five_that_travelled_furthest_of_the_last_90_days(session):
    ada, ben, cy = (make_user(session) for _ in range(3))
    day = TODAY - timedelta(days=10)
    made = {}
    for name, below in [("two", 2), ("four", 4), ("one", 1), ("three", 3), ("none", 0)]:
        made[name] = make_act(session, ada, day, what=name)
        if below:
            forwards(session, made[name], ben, below)
    # Two acts below in two generations travel further than two side by side.
    made["deep"] = make_act(session, ada, day, what="deep")
    forwards(session, forwards(session, made["deep"], ben, 1)[0], cy, 1)
    # Older than 90 days: never shown, however far it went.
    made["old"] = make_act(session, ada, TODAY - timedelta(days=91), what="old")
    forwards(session, made["old"], ben, 6)
    # Exactly 90 days back still counts; it ties with "one" and was logged later,
    # so it ranks before it (ties go to the act logged last).
    made["edge"] = make_act(session, ada, TODAY - timedelta(days=90), what="edge")
    forwards(session, made["edge"], ben, 1)

    found = ripples.furthest(session, ada.id, TODAY)
    assert [item.what for item in found] == ["four", "three", "deep", "two", "edge"]
    assert [item.acts_below for item in found] == [4, 3, 2, 2, 1]
    assert [item.per_generation for item in found] == [(4,), (3,), (1, 1), (2,), (1,)]
    # Two days later the edge act falls out and the next one comes in.
    later = ripples.furthest(session, ada.id, TODAY + timedelta(days=2))
    assert [item.what for item in later] == ["four", "three", "deep", "two", "one"]


def test_below_a_root_of_10000_acts_the_figures_come_from_its_statistics(session, count_queries):
    """The dashboard's five: a root of a 10,000-act chain (whose author is also a
    recipient at its foot), a root of a line of 30, and a forward with three below.
    The figures equal the recursive walk's (``graph.ripples``), in one statement."""
    from collections import Counter

    from kindness.domain.chains import graph
    from tests.chain_shapes import insert_chain, insert_people, line, shape

    people = insert_people(session, 40)
    session.commit()
    me = people[0]
    big_shape = shape(10_000, 40)  # generations 0-39: me at the root, and claiming at the foot
    big = insert_chain(session, big_shape, people, day=TODAY - timedelta(days=60))
    small = insert_chain(session, line(30), people, day=TODAY - timedelta(days=20))
    # Someone else's chain: I received its root and passed it on; three acts below mine.
    others = [people[1], me, *people[2:6]]
    theirs = insert_chain(session, line(5), others, day=TODAY - timedelta(days=5))

    with count_queries() as counter:
        found = ripples.furthest(session, me.id, TODAY)
    assert counter.count == 1

    walked = {ripple.act_id: ripple for ripple in graph.ripples(session, me.id)}
    assert [item.act_id for item in found] == [big[0], small[0], theirs[1]]
    for item in found:
        reference = walked[item.act_id]
        assert (item.acts_below, item.generations, item.people) == (
            reference.acts_below,
            reference.generations_below,
            reference.people,
        )
    depth = [0] * len(big_shape)
    for number, parent in enumerate(big_shape):
        if parent is not None:
            depth[number] = depth[parent] + 1
    per_depth = Counter(depth)
    assert found[0].per_generation == tuple(per_depth[g] for g in range(1, 40))
    assert (found[0].acts_below, found[0].generations) == (9_999, 39)
    # Reached: the 39 people of generations 1-39, and me again (I claimed at the foot).
    assert found[0].people == 40
    assert found[1].per_generation == (1,) * 29 and found[1].people == 30
    assert found[2].per_generation == (1, 1, 1)
    assert ripples.below(session, me.id, big[0]) == found[0]
    assert ripples.below(session, me.id, theirs[1]) == found[2]


@pytest.fixture
def walk_limit(monkeypatch):
    """Set ``ripples.WALK_LIMIT`` for one test (the statements are built once, with it)."""

    def setting(rows):
        monkeypatch.setattr(ripples, "WALK_LIMIT", rows)
        ripples._furthest_statement.cache_clear()
        ripples._one_statement.cache_clear()

    yield setting
    ripples._furthest_statement.cache_clear()
    ripples._one_statement.cache_clear()


def test_the_walk_below_forwards_stops_at_its_limit_and_says_at_least(session, walk_limit):
    """Two of my forwards: one with a line of 10 acts below it, one with one act. The
    walk reads level by level and stops after WALK_LIMIT rows: the long one's
    figures are then lower bounds, the short one's (read whole) are exact."""
    from tests.chain_shapes import insert_chain, insert_people, line

    people = insert_people(session, 14)
    session.commit()
    me = people[0]
    long = insert_chain(session, line(12), [people[1], me, *people[2:12]], day=TODAY - timedelta(5))
    short = insert_chain(session, line(3), [people[12], me, people[13]], day=TODAY - timedelta(4))

    exact = ripples.furthest(session, me.id, TODAY)
    assert [(t.act_id, t.acts_below, t.at_least) for t in exact] == [
        (long[1], 10, False),
        (short[1], 1, False),
    ]

    # Rows: the two forwards (generation 0), two below them (1), then the long
    # line's generations 2 and 3: the walk stops in generation 3.
    walk_limit(6)
    bounded = ripples.furthest(session, me.id, TODAY)
    assert [(t.act_id, t.acts_below, t.generations, t.at_least) for t in bounded] == [
        (long[1], 3, 3, True),
        (short[1], 1, 1, False),
    ]
    assert bounded[0].per_generation == (1, 1, 1)
    assert ripples.below(session, me.id, long[1]).at_least
    assert ripples.below(session, me.id, short[1]) == bounded[1]
