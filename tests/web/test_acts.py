"""Logging, editing, deleting and browsing acts."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain import acts
from kindness.domain.acts import ActInput, HistoryFilter
from kindness.domain.errors import InvalidInput, NotFound
from kindness.models import Act, Contact
from tests.clock import TODAY
from tests.factories import claim, make_act, make_acts, make_contact, make_user


def act_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Act.id)))


pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def ada(session):
    return make_user(session, email="ada@example.org", display_name="Ada")


@pytest.fixture
def logged_in(client, ada, log_in):
    log_in(ada, client)
    return ada


def test_quick_log_needs_only_what(client, session, logged_in):
    response = client.post("/acts/new", data={"what": "Listened to a friend", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/#act-")
    act = session.scalars(select(Act)).one()
    assert (act.what, act.performed_on, act.category, act.visibility, act.contact_id) == (
        "Listened to a friend",
        TODAY,
        "other",
        "private",
        None,
    )


def test_an_act_logged_at_half_past_midnight_in_berlin_is_dated_that_berlin_day(
    client, session, ada, clock, log_in
):
    # 23:30 UTC on 9 March is 00:30 on 10 March in Berlin.
    clock.move_to(datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    log_in(ada, client)
    client.post("/acts/new", data={"what": "Brought warm soup"})
    assert session.scalars(select(Act)).one().performed_on == date(2026, 3, 10)


def test_the_same_moment_is_another_day_in_new_york(client, session, clock, log_in):
    user = make_user(session, time_zone="America/New_York")
    clock.move_to(datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    log_in(user, client)
    client.post("/acts/new", data={"what": "Brought warm soup"})
    assert session.scalars(select(Act)).one().performed_on == date(2026, 3, 9)


def test_typing_a_new_name_creates_the_contact_once(client, session, logged_in):
    for _ in range(2):
        client.post("/acts/new", data={"what": "Walked the dog", "new_contact_name": " Grete "})
    contacts = session.scalars(select(Contact)).all()
    assert [contact.name for contact in contacts] == ["Grete"]
    assert {act.contact_id for act in session.scalars(select(Act))} == {contacts[0].id}


def test_full_form_with_every_field(client, session, logged_in):
    grete = make_contact(session, logged_in, "Grete")
    response = client.post(
        "/acts/new",
        data={
            "what": "Taught her to video-call",
            "contact_id": str(grete.id),
            "performed_on": "2026-11-20",
            "category": "teaching",
            "visibility": "public",
            "note": "She laughed a lot",
        },
    )
    assert response.status_code == 302
    act = session.scalars(select(Act)).one()
    assert (act.contact_id, act.performed_on, act.category, act.visibility, act.note) == (
        grete.id,
        date(2026, 11, 20),
        "teaching",
        "public",
        "She laughed a lot",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"what": ""}, "This field is required"),
        ({"what": "ab"}, "Field must be between 3 and 500 characters long"),
        ({"what": "x" * 501}, "Field must be between 3 and 500 characters long"),
        ({"performed_on": "2026-11-27"}, "cannot be dated in the future"),
        ({"performed_on": "2025-11-25"}, "at most a year back"),
        ({"performed_on": "not-a-date"}, "Not a valid date value"),
        ({"category": "bribery"}, "Not a valid choice"),
        ({"visibility": "everyone-and-their-dog"}, "Not a valid choice"),
        ({"contact_id": "abc"}, "Invalid Choice"),
        ({"new_contact_name": "n" * 81}, "Field cannot be longer than 80 characters"),
        ({"note": "n" * 1001}, "Field cannot be longer than 1000 characters"),
    ],
)
def test_each_bad_field_gets_a_message_and_changes_nothing(
    client, session, logged_in, fields, message
):
    data = {"what": "Carried the shopping", **fields}
    response = client.post("/acts/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert act_count(session) == 0
    assert session.scalar(select(func.count(Contact.id))) == 0


def test_someone_elses_contact_id_is_refused(client, session, logged_in):
    stranger = make_user(session)
    theirs = make_contact(session, stranger, "Secret Name")
    response = client.post(
        "/acts/new", data={"what": "Carried the shopping", "contact_id": str(theirs.id)}
    )
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert act_count(session) == 0
    with pytest.raises(InvalidInput) as refused:
        acts.log(session, logged_in, ActInput(what="Sneaky", contact_id=theirs.id), TODAY)
    assert refused.value.field == "contact_id"


def test_domain_refuses_tampered_values(session, ada):
    for data, field in [
        (ActInput(what="ok then", category="bribery"), "category"),
        (ActInput(what="ok then", visibility="secret"), "visibility"),
        (ActInput(what="  x  "), "what"),
        (ActInput(what="ok then", performed_on=TODAY + timedelta(days=1)), "performed_on"),
        (ActInput(what="ok then", performed_on=TODAY - timedelta(days=366)), "performed_on"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            acts.log(session, ada, data, TODAY)
        assert refused.value.field == field
    assert act_count(session) == 0


def test_edit_own_act(client, session, logged_in):
    act = make_act(session, logged_in, TODAY, what="Old text")
    page = client.get(f"/acts/{act.id}/edit")
    assert "Old text" in page.get_data(as_text=True)
    response = client.post(
        f"/acts/{act.id}/edit",
        data={"what": "New text", "category": "gift", "visibility": "team"},
    )
    assert response.status_code == 302
    session.expire_all()
    edited = session.get(Act, act.id)
    assert (edited.what, edited.category, edited.visibility) == ("New text", "gift", "team")


def test_invalid_edit_changes_nothing(client, session, logged_in):
    act = make_act(session, logged_in, TODAY, what="Old text")
    response = client.post(f"/acts/{act.id}/edit", data={"what": "x", "category": "gift"})
    assert response.status_code == 422
    session.expire_all()
    assert session.get(Act, act.id).what == "Old text"


def test_delete_own_act_after_confirming(client, session, logged_in):
    act = make_act(session, logged_in, TODAY)
    confirm = client.get(f"/acts/{act.id}/delete")
    assert "cannot be undone" in confirm.get_data(as_text=True)
    assert act_count(session) == 1
    assert client.post(f"/acts/{act.id}/delete").status_code == 302
    assert act_count(session) == 0


def test_only_the_author_edits_or_deletes(session, ada):
    other = make_user(session)
    act = make_act(session, ada, TODAY)
    with pytest.raises(NotFound):
        acts.update(session, other, act.id, ActInput(what="Hijacked"), TODAY)
    with pytest.raises(NotFound):
        acts.delete(session, other, act.id)
    session.expire_all()
    assert session.get(Act, act.id).what == "Carried the shopping upstairs"


def test_history_is_newest_first_paginated_and_filtered(client, session, logged_in):
    grete = make_contact(session, logged_in, "Grete")
    days = [TODAY - timedelta(days=number) for number in range(45)]
    make_acts(session, logged_in, days)
    make_act(
        session,
        logged_in,
        TODAY - timedelta(days=3),
        what="For Grete",
        contact=grete,
        category="gift",
    )
    first = client.get("/acts").get_data(as_text=True)
    assert "46 acts" in first
    assert "Page 1 of 3" in first
    assert first.index("A small kindness 0<") < first.index("A small kindness 1<")
    third = client.get("/acts?page=3").get_data(as_text=True)
    assert "A small kindness 44" in third
    filtered = client.get(f"/acts?contact={grete.id}&category=gift").get_data(as_text=True)
    assert "1 act" in filtered and "For Grete" in filtered
    ranged = client.get("/acts?date_from=2026-11-25&date_to=2026-11-26").get_data(as_text=True)
    assert "2 acts" in ranged


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=abc", "category=bribery", "date_from=yesterday", "contact=99999", "contact=x"],
)
def test_history_bad_filters_get_a_clear_400(client, session, logged_in, query):
    response = client.get(f"/acts?{query}")
    assert response.status_code == 400
    assert 'class="errors"' in response.get_data(as_text=True)


def test_history_domain_filters(session, ada):
    make_acts(session, ada, [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=10)])
    page = acts.history(session, ada, HistoryFilter(date_from=TODAY - timedelta(days=2)))
    assert page.total == 2
    assert [act.performed_on for act in page.items] == [TODAY, TODAY - timedelta(days=1)]


def test_history_page_issues_the_same_queries_for_5_and_500_acts(
    client, session, logged_in, count_queries
):
    contacts = [make_contact(session, logged_in, f"Friend {n}") for n in range(5)]
    make_acts(session, logged_in, [TODAY] * 5, contacts)
    with count_queries() as few:
        assert client.get("/acts").status_code == 200
    make_acts(session, logged_in, [TODAY - timedelta(days=n % 300) for n in range(495)], contacts)
    with count_queries() as many:
        assert client.get("/acts").status_code == 200
    assert few.count == many.count


def test_act_detail_shows_contact_name_and_note_to_the_author(client, session, logged_in):
    grete = make_contact(session, logged_in, "Grete")
    act = make_act(session, logged_in, TODAY, contact=grete, note="Bring the recipe")
    page = client.get(f"/acts/{act.id}").get_data(as_text=True)
    assert "for Grete" in page and "Bring the recipe" in page


def test_unnamed_recipient_reads_someone(client, session, logged_in):
    act = make_act(session, logged_in, TODAY)
    assert "for someone" in client.get(f"/acts/{act.id}").get_data(as_text=True)


def test_pagination_links_carry_only_the_filters(client, session, logged_in):
    make_acts(session, logged_in, [TODAY] * 25)
    for junk in ("_scheme=x", "_method=POST", "_external=1", "_anchor=x"):
        page = client.get(f"/acts?{junk}&category=help")
        assert page.status_code == 200, junk
        text = page.get_data(as_text=True)
        nav = text.split('class="pagination"')[1].split("</nav>")[0]
        assert "category=help" in nav
        assert junk.split("=")[0] not in nav


def test_editing_a_year_old_act_keeps_its_date(client, session, logged_in, clock, log_in):
    old = make_act(
        session, logged_in, TODAY - timedelta(days=300), what="Old public act", visibility="public"
    )
    # Half a year on, the act is more than a year old; its date must survive the edit.
    clock.move_to(datetime(2027, 6, 1, 11, tzinfo=UTC))
    log_in(logged_in, client)  # the session cookie from November has expired by June
    response = client.post(
        f"/acts/{old.id}/edit",
        data={"what": "Old public act", "visibility": "private", "category": "help"},
    )
    assert response.status_code == 302
    session.expire_all()
    edited = session.get(Act, old.id)
    assert (edited.visibility, edited.performed_on) == ("private", TODAY - timedelta(days=300))


def test_a_contact_name_with_umlauts_is_found_not_duplicated(client, session, logged_in):
    for name in ("Ömer", "Ömer", "ömer"):
        response = client.post("/acts/new", data={"what": "Shared lunch", "new_contact_name": name})
        assert response.status_code == 302
    names = session.scalars(select(Contact.name)).all()
    assert "Ömer" in names and len(names) <= 2
    added = client.post("/contacts", data={"name": "Ömer"})
    assert added.status_code == 422
    assert "already have a contact" in added.get_data(as_text=True)


def test_people_helped_counts_each_contact_once_and_each_unnamed_act(session, ada):
    from kindness.domain import challenges

    grete, hans = make_contact(session, ada, "Grete"), make_contact(session, ada, "Hans")
    for contact in (grete, grete, hans, None, None):
        make_act(session, ada, TODAY, contact=contact)
    make_act(session, make_user(session), TODAY)  # someone else's
    helped = select(acts.people_helped())
    assert session.scalar(helped.where(Act.author_id == ada.id)) == 4
    assert session.scalar(helped.where(Act.author_id == -1)) == 0  # no acts: nobody, not NULL
    assert challenges.totals(session, ada).people_helped == 4


def test_a_forward_is_never_dated_before_the_act_it_passes_on():
    acts.check_forward_date(TODAY, TODAY)
    acts.check_forward_date(TODAY + timedelta(days=1), TODAY)
    with pytest.raises(InvalidInput, match="before the act it passes on") as refused:
        acts.check_forward_date(TODAY - timedelta(days=1), TODAY)
    assert refused.value.field == "performed_on"


def test_a_forward_cannot_be_moved_before_its_parent(session, ada):
    ben = make_user(session)
    root = make_act(session, ada, TODAY - timedelta(days=2))
    claim(session, root, ben)
    forward = make_act(session, ben, TODAY, parent=root)
    moved = ActInput(what="Moved back", performed_on=TODAY - timedelta(days=3))
    with pytest.raises(InvalidInput, match="before the act it passes on"):
        acts.update(session, ben, forward.id, moved, TODAY)
    acts.update(
        session, ben, forward.id, ActInput(what="Same day", performed_on=root.performed_on), TODAY
    )
    assert forward.performed_on == root.performed_on
