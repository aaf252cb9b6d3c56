""" "It travelled": one unread notice per author above a new forward, on their act
nearest the root; and a forward 10,000 generations down costs the statements of a
forward at depth 1, both when it is logged and when the job fans it out."""

import re

import pytest
from sqlalchemy import select

from kindness.domain import acts, inbox
from kindness.domain.acts import ActInput
from kindness.domain.notices import travelled
from kindness.models import Act, Notification, User
from tests.chain_shapes import insert_chain, insert_people, line
from tests.clock import TODAY
from tests.factories import claim, make_act, run_jobs
from tests.notices import make_person

pytestmark = pytest.mark.usefixtures("clock")

DEEP = 10_000
PEOPLE = 1_000


def unread_travelled(session) -> dict[int, list[int]]:
    """Each person's unread "travelled" notices: the acts they name."""
    session.expire_all()
    found: dict[int, list[int]] = {}
    for user_id, act_id in session.execute(
        select(Notification.user_id, Notification.act_id)
        .where(Notification.kind == "travelled", Notification.read_at.is_(None))
        .order_by(Notification.id)
    ):
        found.setdefault(user_id, []).append(act_id)
    return found


def test_one_unread_notice_per_author_above_on_their_act_nearest_the_root(session):
    ada, ben, cy = (make_person(session, display_name=name) for name in ("Ada", "Ben", "Cy"))
    ada.notify_travelled = "immediately"
    session.commit()
    # Ada → Ben → Ada → Cy: Ada is above twice, Cy's forwards are below them all.
    root = make_act(session, ada, TODAY, what="Ada's root")
    claim(session, root, ben)
    bens = make_act(session, ben, TODAY, parent=root)
    claim(session, bens, ada)
    adas = make_act(session, ada, TODAY, parent=bens)
    claim(session, adas, cy)
    # Cy's own earlier act: Cy is never told of Cy's forward.
    first = make_act(session, cy, TODAY, what="Cy passed it on", parent=adas)
    assert unread_travelled(session) == {ada.id: [root.id], ben.id: [bens.id]}

    # While they are unread, another forward adds nothing; the job run again neither.
    second = acts.log(session, cy, ActInput(what="And once more", parent_ref=adas.ref), TODAY)
    session.commit()
    run_jobs(session)
    travelled.fan_out(session, second.id)
    assert unread_travelled(session) == {ada.id: [root.id], ben.id: [bens.id]}

    # Read, the news comes again; the mail goes to those who chose "immediately".
    inbox.mark_read(session, ada, [n.id for n in session.scalars(select(Notification))])
    session.commit()
    assert inbox.notify_travelled(session, first) == {ada.id: root.id}
    assert unread_travelled(session)[ada.id] == [root.id]

    # A placeholder (Ben's act, removed after it was passed on) tells nobody.
    acts.remove(session, session.get(Act, bens.id))
    session.execute(Notification.__table__.delete())
    session.commit()
    inbox.notify_travelled(session, session.get(Act, first.id))
    assert unread_travelled(session) == {ada.id: [root.id]}


def normalised(statements: list[str]) -> list[str]:
    return [re.sub(r"\s+", " ", statement).strip() for statement in statements]


def forward_and_fan_out(session, count_queries, parent: Act) -> tuple[list[str], list[str], Act]:
    """Log a forward of ``parent`` by its recipient through the domain, then run its
    job; the statements of each."""
    recipient = session.get(User, parent.recipient_id)
    with count_queries() as logging:
        forward = acts.log(
            session, recipient, ActInput(what="Passed on at last", parent_ref=parent.ref), TODAY
        )
        session.flush()
    session.commit()
    with count_queries() as fanning:
        run_jobs(session)
    return normalised(logging.statements), normalised(fanning.statements), forward


def test_a_forward_at_depth_10000_issues_the_statements_of_one_at_depth_1(session, count_queries):
    people = insert_people(session, PEOPLE)
    session.commit()
    shallow_ids = insert_chain(session, line(1), people[:2])
    deep_ids = insert_chain(session, line(DEEP), people)
    shallow = session.get(Act, shallow_ids[-1])
    deep = session.get(Act, deep_ids[-1])
    assert (shallow.depth, deep.depth) == (0, DEEP - 1)

    shallow_log, shallow_fan, _ = forward_and_fan_out(session, count_queries, shallow)
    notices = unread_travelled(session)
    assert notices == {people[0].id: [shallow_ids[0]]}

    deep_log, deep_fan, forward = forward_and_fan_out(session, count_queries, deep)
    assert forward.depth == DEEP
    # The same statements, whatever the depth: logging the forward and fanning it out.
    assert deep_log == shallow_log
    # Three statements and no read of the parent of its own: the insert takes it.
    assert [statement.split()[:3] for statement in deep_log] == [
        ["INSERT", "INTO", "acts"],
        ["UPDATE", "chain_stats", "SET"],
        ["INSERT", "INTO", "outbox"],
    ]
    assert deep_fan == shallow_fan
    assert len(deep_fan) <= 4

    # Everyone above but the forward's author (people[0], the generations 0, 1000,
    # ...) heard once, on their act nearest the root: person k on generation k.
    notices = unread_travelled(session)
    del notices[people[0].id]  # the shallow chain's notice
    assert len(notices) == PEOPLE - 1
    assert notices == {people[k].id: [deep_ids[k]] for k in range(1, PEOPLE)}
