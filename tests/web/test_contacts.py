"""The private address book."""

import pytest
from sqlalchemy import func, select

from kindness.models import Act, Contact
from tests.clock import TODAY
from tests.factories import make_act, make_contact, make_user


@pytest.fixture
def owner(client, session, log_in):
    user = make_user(session, email="owner@example.org")
    log_in(user, client)
    return user


def names(session) -> list[str]:
    session.expire_all()
    return sorted(session.scalars(select(Contact.name)))


def test_add_rename_note_and_list(client, session, owner):
    response = client.post("/contacts", data={"name": "Grete", "note": "Lives upstairs"})
    assert response.status_code == 302
    contact = session.scalars(select(Contact)).one()
    assert (contact.owner_id, contact.note) == (owner.id, "Lives upstairs")
    client.post(f"/contacts/{contact.id}", data={"name": "Grete M.", "note": ""})
    assert names(session) == ["Grete M."]
    session.expire_all()
    assert session.get(Contact, contact.id).note is None
    listing = client.get("/contacts").get_data(as_text=True)
    assert "Grete M." in listing and "0 acts" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required"),
        ({"name": "x" * 81}, "Field cannot be longer than 80 characters"),
        ({"name": "Grete", "note": "n" * 1001}, "Field cannot be longer than 1000 characters"),
        ({"name": "GRETE"}, "already have a contact with this name"),
    ],
)
def test_bad_contact_input_changes_nothing(client, session, owner, data, message):
    make_contact(session, owner, "Grete")
    response = client.post("/contacts", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert names(session) == ["Grete"]


def test_rename_to_an_existing_name_is_refused(client, session, owner):
    make_contact(session, owner, "Grete")
    hans = make_contact(session, owner, "Hans")
    response = client.post(f"/contacts/{hans.id}", data={"name": "grete"})
    assert response.status_code == 422
    assert "already have a contact with this name" in response.get_data(as_text=True)
    assert "<h1>Hans</h1>" in response.get_data(as_text=True)  # the name it still has
    assert names(session) == ["Grete", "Hans"]


def test_contact_page_lists_what_was_done_for_them(client, session, owner):
    grete = make_contact(session, owner, "Grete")
    make_act(session, owner, TODAY, what="Fixed her bicycle", contact=grete)
    make_act(session, owner, TODAY, what="Something for somebody else")
    page = client.get(f"/contacts/{grete.id}").get_data(as_text=True)
    assert "Fixed her bicycle" in page
    assert "Something for somebody else" not in page


def test_deleting_a_contact_keeps_the_acts_for_someone(client, session, owner):
    grete = make_contact(session, owner, "Grete")
    act = make_act(session, owner, TODAY, contact=grete)
    assert "Delete Grete?" in client.get(f"/contacts/{grete.id}/delete").get_data(as_text=True)
    assert client.post(f"/contacts/{grete.id}/delete").status_code == 302
    assert names(session) == []
    session.expire_all()
    kept = session.get(Act, act.id)
    assert kept is not None and kept.contact_id is None
    assert "for someone" in client.get(f"/acts/{act.id}").get_data(as_text=True)


def test_contact_names_are_only_shown_to_their_owner(session, owner, log_in):
    make_contact(session, owner, "Very Private Name")
    stranger = log_in(make_user(session))
    for path in ("/contacts", "/", "/acts", "/acts/new"):
        assert "Very Private Name" not in stranger.get(path).get_data(as_text=True)
    assert session.scalar(select(func.count(Contact.id))) == 1
