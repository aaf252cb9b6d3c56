"""The graph in SQL: invariants, statistics, and every chain function against a
plain-Python walk over random forests."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kindness.domain import acts, outbox, passes
from kindness.domain.acts import ActInput
from kindness.domain.chains import graph, statistics
from kindness.domain.errors import InvalidInput, RuleViolation
from kindness.models import Act, ChainStats
from tests.factories import claim, make_act, make_user

DAY = date(2026, 11, 1)


@pytest.fixture
def people(session):
    return [make_user(session, display_name=f"P{n}") for n in range(4)]


def test_root_and_forward_get_root_and_depth_once(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    child = make_act(session, ben, DAY, parent=root)
    claim(session, child, cy)
    grandchild = make_act(session, cy, DAY + timedelta(days=1), parent=child)
    assert (root.root_id, root.depth) == (root.id, 0)
    assert (child.root_id, child.depth, child.parent_id) == (root.id, 1, root.id)
    assert (grandchild.root_id, grandchild.depth) == (root.id, 2)
    stats = session.get(ChainStats, root.id)
    assert (stats.acts, stats.generations) == (3, 3)
    # ada, ben, cy and the unnamed recipient of the grandchild.
    assert stats.reach == 4


def test_only_received_kindness_can_be_passed_on(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    with pytest.raises(InvalidInput, match="only pass on kindness you received") as refused:
        acts.log(session, ben, ActInput(what="Not mine", parent_ref=root.ref), DAY)
    assert refused.value.field == "parent_ref"
    claim(session, root, ben)
    with pytest.raises(InvalidInput):
        acts.log(session, cy, ActInput(what="Not mine either", parent_ref=root.ref), DAY)
    with pytest.raises(InvalidInput):
        acts.log(session, ben, ActInput(what="Unknown", parent_ref="no-such-ref"), DAY)


def test_a_refused_forward_writes_nothing(session, people):
    """The rules of passing on are the forward's conditional insert: refused, it
    leaves no act, no change to the chain's figures and no job behind."""
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    session.commit()
    before = (statistics.of_chain(session, root.id), outbox.waiting(session))
    refusals = [
        (cy, ActInput(what="Not mine", parent_ref=root.ref)),
        (ben, ActInput(what="Too early", parent_ref=root.ref, performed_on=DAY - timedelta(1))),
        (ben, ActInput(what="Unknown", parent_ref="no-such-ref")),
    ]
    for author, data in refusals:
        with pytest.raises(InvalidInput):
            acts.log(session, author, data, DAY)
    assert (statistics.of_chain(session, root.id), outbox.waiting(session)) == before
    assert session.scalar(select(func.count()).where(Act.parent_id == root.id)) == 0


def test_a_forward_is_not_dated_before_its_parent(session, people):
    ada, ben, _, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    with pytest.raises(InvalidInput, match="before the act it passes on"):
        acts.log(
            session,
            ben,
            ActInput(what="Too early", parent_ref=root.ref, performed_on=DAY - timedelta(1)),
            DAY,
        )
    child = make_act(session, ben, DAY, parent=root)
    # Nor can the parent be moved after its forward.
    with pytest.raises(InvalidInput, match="cannot be dated after its forwards"):
        acts.update(
            session,
            ada,
            root.id,
            ActInput(what="Moved", performed_on=DAY + timedelta(days=1)),
            DAY + timedelta(days=2),
        )
    assert child.depth == 1


def test_the_database_refuses_a_forward_by_someone_who_did_not_receive_it(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    with pytest.raises(IntegrityError):
        session.execute(
            insert(Act).values(
                ref="forged-ref",
                author_id=cy.id,
                what="Forged forward",
                performed_on=DAY,
                category="help",
                visibility="private",
                parent_id=root.id,
                root_id=root.id,
                depth=1,
            )
        )
    session.rollback()


def test_the_database_refuses_depth_without_parent_and_own_parent(session, people):
    ada = people[0]
    root = make_act(session, ada, DAY)
    for values in ({"depth": 3}, {"parent_id": root.id, "depth": 0}):
        with pytest.raises(IntegrityError), session.begin_nested():
            session.execute(
                insert(Act).values(
                    ref=f"bad-{len(values)}-{values.get('depth')}",
                    author_id=ada.id,
                    what="Bad shape",
                    performed_on=DAY,
                    category="help",
                    visibility="private",
                    **values,
                )
            )


def test_chains_branch_and_claims_are_counted_once(session, people):
    ada, ben, cy, dee = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    first = make_act(session, ben, DAY, parent=root)
    second = make_act(session, ben, DAY, parent=root)
    claim(session, first, cy)
    claim(session, second, ada)  # kindness comes back to where it started
    stats = session.get(ChainStats, root.id)
    assert (stats.acts, stats.generations) == (3, 2)
    assert stats.reach == 3  # ada, ben, cy
    assert statistics.of_chain(session, root.id).reach == 3
    assert statistics.of_chain(session, root.id).widest_generation == 2
    assert dee  # never in this chain


def test_claiming_rules(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    link = passes.create(session, root, show_text=True)
    with pytest.raises(RuleViolation, match="your own act"):
        passes.claim(session, link.code, ada, named=False)
    passes.claim(session, link.code, ben, named=True)
    # Whoever comes second hears that the card is claimed (never "not found").
    with pytest.raises(passes.CardClaimed, match="already been claimed"):
        passes.claim(session, link.code, cy, named=False)
    with pytest.raises(RuleViolation, match="claimed this act already"):
        passes.create(session, root, show_text=False)


def test_revoked_codes_are_withdrawn_and_malformed_ones_not_found(session, people):
    from kindness.domain.errors import NotFound

    ada, ben, _, _ = people
    root = make_act(session, ada, DAY)
    link = passes.create(session, root, show_text=False)
    assert passes.create(session, root, show_text=True).id == link.id
    passes.revoke(session, root)
    assert passes.card(session, link.code).state == "withdrawn"
    with pytest.raises(RuleViolation, match="withdrew"):
        passes.claim(session, link.code, ben, named=False)
    for code in ("short", "x" * 40, "../../etc/passwd", "", "A" * 22):
        with pytest.raises(NotFound):
            passes.claim(session, code, ben, named=False)
    session.refresh(root)
    assert root.recipient_id is None


def test_removing_acts_keeps_the_chain_whole(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY, what="The root act")
    claim(session, root, ben)
    middle = make_act(session, ben, DAY, what="The middle act", note="secret note", parent=root)
    claim(session, middle, cy)
    leaf = make_act(session, cy, DAY, what="The leaf act", parent=middle)
    acts.delete(session, ben, middle.id)
    session.commit()
    session.refresh(middle)
    assert middle.is_placeholder
    assert (middle.what, middle.note, middle.author_id) == (None, None, None)
    assert [row.id for row in graph.whole_chain(session, root.id)] == [
        root.id,
        middle.id,
        leaf.id,
    ]
    acts.delete(session, cy, leaf.id)
    session.commit()
    stats = session.get(ChainStats, root.id)
    assert stats.acts == 1  # the placeholder held nothing together any more
    assert (stats.acts, stats.reach) == (
        statistics.of_chain(session, root.id).acts,
        statistics.of_chain(session, root.id).reach,
    )


# -- random forests against a plain-Python model ------------------------------


class Forest:
    """The same forest kept in Python: parent, author and recipient of each act."""

    def __init__(self):
        self.parent: dict[int, int | None] = {}
        self.author: dict[int, int] = {}
        self.recipient: dict[int, int | None] = {}
        self.day: dict[int, date] = {}

    def root_of(self, act_id):
        while self.parent[act_id] is not None:
            act_id = self.parent[act_id]
        return act_id

    def depth(self, act_id):
        depth = 0
        while self.parent[act_id] is not None:
            act_id = self.parent[act_id]
            depth += 1
        return depth

    def chain(self, root_id):
        return {act for act in self.parent if self.root_of(act) == root_id}

    def below(self, act_id):
        found, stack = {act_id}, [act_id]
        while stack:
            current = stack.pop()
            for child, parent in self.parent.items():
                if parent == current:
                    found.add(child)
                    stack.append(child)
        return found

    def reach(self, root_id):
        members = self.chain(root_id)
        named = {self.recipient[act] for act in members if self.recipient[act] is not None}
        named.add(self.author[root_id])
        return len(named) + sum(1 for act in members if self.recipient[act] is None)


steps = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(min_value=0, max_value=60)),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=steps)
def test_chain_functions_equal_a_python_walk(app, people, plan):
    connection = app.extensions["kindness.test_connection"]
    savepoint = connection.begin_nested()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        checked = check_forest(session, people, plan)
        assert checked == len(plan)  # every act of the plan was compared
    finally:
        session.close()
        savepoint.rollback()


def check_forest(session, people, plan):
    users = [session.merge(person) for person in people]
    forest = Forest()
    order: list[int] = []
    for number, (parent_pick, author_pick, recipient_pick, claim_it) in enumerate(plan):
        day = DAY + timedelta(days=number)
        parent = order[parent_pick % len(order)] if parent_pick is not None and order else None
        if parent is None:
            author = users[author_pick]
            act = acts.log(session, author, ActInput(what=f"Act {number}"), day)
        else:
            if forest.recipient[parent] is None:
                taker = users[recipient_pick]
                if taker.id == forest.author[parent]:
                    taker = users[(recipient_pick + 1) % len(users)]
                parent_act = session.get(Act, parent)
                passes.claim(session, passes.create(session, parent_act, False).code, taker, False)
                forest.recipient[parent] = taker.id
            author = session.get(type(users[0]), forest.recipient[parent])
            parent_ref = session.get(Act, parent).ref
            act = acts.log(
                session, author, ActInput(what=f"Act {number}", parent_ref=parent_ref), day
            )
        forest.parent[act.id] = parent
        forest.author[act.id] = author.id
        forest.recipient[act.id] = None
        forest.day[act.id] = day
        order.append(act.id)
        if claim_it and number % 2:
            taker = next(u for u in users[recipient_pick:] + users if u.id != author.id)
            passes.claim(session, passes.create(session, act, False).code, taker, True)
            forest.recipient[act.id] = taker.id
    session.flush()

    roots = {act for act, parent in forest.parent.items() if parent is None}
    for root in roots:
        members = forest.chain(root)
        rows = graph.whole_chain(session, root)
        assert {row.id for row in rows} == members
        seen = set()
        for row in rows:  # parents before children, depth as in Python
            assert row.parent_id is None or row.parent_id in seen
            assert row.depth == forest.depth(row.id)
            seen.add(row.id)
        stats = statistics.of_chain(session, root)
        depths = Counter(forest.depth(act) for act in members)
        assert stats.acts == len(members)
        assert stats.generations == max(depths) + 1
        assert stats.widest_generation == max(depths.values())
        assert stats.reach == forest.reach(root)
        assert stats.first_on == min(forest.day[act] for act in members)
        assert stats.last_on == max(forest.day[act] for act in members)
        kept = session.get(ChainStats, root)
        assert (kept.acts, kept.generations, kept.reach) == (
            stats.acts,
            stats.generations,
            stats.reach,
        )
        assert (kept.first_on, kept.last_on) == (stats.first_on, stats.last_on)
    for act in order:
        assert {row.id for row in graph.subtree(session, act)} == forest.below(act)
        path = [row.id for row in graph.ancestors(session, act)]
        expected = [act]
        while forest.parent[expected[-1]] is not None:
            expected.append(forest.parent[expected[-1]])
        assert path == expected[::-1]
    for user in users:
        ripples = {ripple.act_id: ripple for ripple in graph.ripples(session, user.id)}
        for act in order:
            below = forest.below(act)
            if forest.author[act] != user.id or len(below) == 1:
                assert act not in ripples
                continue
            named = {forest.recipient[a] for a in below if forest.recipient[a] is not None}
            unnamed = sum(1 for a in below if forest.recipient[a] is None)
            depth = forest.depth(act)
            assert ripples[act].acts_below == len(below) - 1
            assert ripples[act].generations_below == max(forest.depth(a) for a in below) - depth
            assert ripples[act].people == len(named) + unnamed
        mine = [act for act in order if forest.author[act] == user.id]
        grown = set().union(*(forest.below(act) - {act} for act in mine))
        assert graph.acts_below(session, Act.author_id == user.id, up_to=10_000) == len(grown)
        # Bounded: it counts no further than up_to + 1.
        assert graph.acts_below(session, Act.author_id == user.id, up_to=2) == min(len(grown), 3)
    listed = statistics.listing(session, "reach", limit=1000)
    ours = [item.root_id for item in listed if item.root_id in roots]
    assert ours == sorted(roots, key=lambda root: (-forest.reach(root), -root)), [
        (root, forest.reach(root), session.get(ChainStats, root).reach) for root in roots
    ]
    return len(order)


def test_listing_orders_read_only_the_statistics(session, people, count_queries):
    ada, ben, _, _ = people
    small = make_act(session, ada, DAY)
    big = make_act(session, ada, DAY)
    claim(session, big, ben)
    make_act(session, ben, DAY + timedelta(days=1), parent=big)
    with count_queries() as counter:
        by_reach = statistics.listing(session, "reach")
        by_generations = statistics.listing(session, "generations")
    assert [item.root_id for item in by_reach][:2] == [big.id, small.id]
    assert by_generations[0].root_id == big.id
    assert all("acts" not in sql.split("FROM")[1].split()[0] for sql in counter.statements)
    assert session.scalar(select(ChainStats.acts).where(ChainStats.root_id == big.id)) == 2


def test_a_placeholder_left_without_forwards_goes_too(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    middle = make_act(session, ben, DAY, parent=root)
    claim(session, middle, cy)
    leaf = make_act(session, cy, DAY, parent=middle)
    acts.delete(session, ben, middle.id)  # becomes a placeholder
    acts.delete(session, cy, leaf.id)  # and then holds nothing together
    session.commit()
    assert [row.id for row in graph.whole_chain(session, root.id)] == [root.id]
    stats = session.get(ChainStats, root.id)
    assert (stats.acts, stats.generations) == (1, 1)


def test_weeks_count_the_acts_that_grew_from_them(session, people):
    from kindness.domain import challenges

    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    child = make_act(session, ben, DAY + timedelta(days=1), parent=root)
    claim(session, child, cy)
    make_act(session, cy, DAY + timedelta(days=2), parent=child)
    windows = [(DAY, DAY + timedelta(days=6)), (DAY + timedelta(days=7), DAY + timedelta(13))]
    assert challenges.forwards_grown(session, ada.id, windows) == [2, 0]
    assert challenges.forwards_grown(session, cy.id, windows) == [0, 0]


def test_acts_below_count_each_act_once_however_many_origins_it_is_below(session, people):
    ada, ben, cy, _ = people
    root = make_act(session, ada, DAY)
    claim(session, root, ben)
    middle = make_act(session, ben, DAY, parent=root)
    claim(session, middle, ada)
    again = make_act(session, ada, DAY, parent=middle)
    claim(session, again, cy)
    make_act(session, cy, DAY, parent=again)
    # Below ada's two acts: ben's, ada's second (below her first) and cy's (below both).
    assert graph.acts_below(session, Act.author_id == ada.id, up_to=100) == 3
    assert sum(r.acts_below for r in graph.ripples(session, ada.id)) == 4  # per act
    assert graph.acts_below(session, Act.id == again.id, up_to=100) == 1
    assert graph.acts_below(session, Act.author_id == cy.id, up_to=100) == 0
