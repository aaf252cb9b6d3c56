"""A new forward is told to the authors above it by a job after the request: the
inbox notice for each, and at once a mail to those who chose "immediately"."""

import pytest
from sqlalchemy import func, select

from kindness.jobs import dispatch, registry
from kindness.models import Act, Mail, Notification
from tests.clock import TODAY
from tests.factories import claim, make_act
from tests.notices import choices_of, make_person, path_of, tick, unsubscribe_header

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def chain(session):
    """Ada → Ben → Cy → Dan, each the recipient of the act above; Eve holds Dan's card.

    Their choices are set once the chain is built, so only the forward under test mails."""
    people = {
        "ada": make_person(session, display_name="Ada", locale="de"),
        "ben": make_person(session, display_name="Ben"),
        "cy": make_person(session, display_name="Cy"),
        "dan": make_person(session, display_name="Dan", confirmed=False),
        "eve": make_person(session, display_name="Eve"),
    }
    act = make_act(session, people["ada"], TODAY, what="Shovelled the snow")
    acts = [act]
    for taker in ("ben", "cy", "dan", "eve"):
        claim(session, acts[-1], people[taker])
        if taker != "eve":
            acts.append(
                make_act(
                    session, people[taker], TODAY, what=f"{taker} passed it on", parent=acts[-1]
                )
            )
    for name, choice in (
        ("ada", "immediately"),
        ("ben", "daily"),
        ("cy", "immediately"),
        ("dan", "immediately"),
    ):
        people[name].notify_travelled = choice
    session.commit()
    return people, acts


def forward_as_eve(app, log_in, people, parent) -> Act:
    client = log_in(people["eve"])
    response = client.post(
        "/acts/new", data={"what": "Helped a stranger with a flat tyre", "parent_ref": parent.ref}
    )
    assert response.status_code == 302
    return parent


def test_a_forward_mails_each_author_above_who_chose_immediately(
    app, session, mailbox, log_in, chain
):
    people, acts = chain
    forward_as_eve(app, log_in, people, acts[-1])
    received = {mail.recipients[0]: mail for mail in mailbox.received}
    # Ben chose the daily letter; Dan's address is not confirmed; Eve wrote it.
    assert set(received) == {people["ada"].email, people["cy"].email}

    german, english = received[people["ada"].email], received[people["cy"].email]
    assert german.message["Subject"] == "Deine Freundlichkeit ist weitergereist"
    assert "Deine Freundlichkeit ist weitergereist: „Shovelled the snow“" in german.text
    assert "Die Kette: 6 Menschen, 5 Generationen" in german.text
    assert english.message["Subject"] == "Your kindness travelled"
    assert "Your kindness travelled: “cy passed it on”" in english.text
    assert f"/chains/{acts[2].ref}" in english.html
    for mail in (german, english):
        assert "/unsubscribe/" in unsubscribe_header(mail)

    # The inbox heard of it too, as before: one notice for each author above.
    session.expire_all()
    travelled = session.scalars(
        select(Notification.user_id).where(Notification.kind == "travelled")
    ).all()
    assert {people[name].id for name in ("ada", "ben", "cy", "dan")} <= set(travelled)


def test_each_forward_mails_once(app, session, mailbox, log_in, chain):
    people, acts = chain
    forward_as_eve(app, log_in, people, acts[-1])
    assert len(mailbox.received) == 2
    forward = session.scalar(select(Act).where(Act.author_id == people["eve"].id))
    # The job run again (a retry, or the sweep handing the row over twice) and the tick.
    dispatch.run(app, "travelled", {"act_id": forward.id})
    tick(app)
    assert len(mailbox.received) == 2
    keys = session.scalars(select(Mail.key).where(Mail.kind == "travelled")).all()
    assert sorted(keys) == sorted(
        f"travelled:{people[name].id}:{forward.id}" for name in ("ada", "cy")
    )
    # A second forward from the same act is news again.
    forward_as_eve(app, log_in, people, acts[-1])
    assert len(mailbox.received) == 4


def test_the_request_only_writes_the_job(app, session, log_in, chain, mailbox, monkeypatch):
    """The fan-out runs after the commit: a failing job leaves the forward logged."""
    people, acts = chain

    def broken(session, act_id):
        raise RuntimeError("the fan-out broke")

    monkeypatch.setitem(registry.JOBS, "travelled", broken)
    forward_as_eve(app, log_in, people, acts[-1])
    session.expire_all()
    assert session.scalar(select(func.count()).where(Act.author_id == people["eve"].id)) == 1
    assert mailbox.received == []


def test_its_one_click_link_turns_travelled_to_never_and_nothing_else(
    app, session, mailbox, log_in, chain
):
    people, acts = chain
    forward_as_eve(app, log_in, people, acts[-1])
    [mail] = mailbox.to(people["cy"].email)
    before = choices_of(session, people["cy"])
    response = app.test_client().post(
        path_of(unsubscribe_header(mail)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "<li>Your kindness travelled</li>" in response.get_data(as_text=True)
    assert choices_of(session, people["cy"]) == {**before, "notify_travelled": "never"}
    assert choices_of(session, people["ada"])["notify_travelled"] == "immediately"
