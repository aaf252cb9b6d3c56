"""/api/v1/contacts: the private address book through the functions of the
contacts pages: list (by cursor), add, read, change and delete. Refused input
is a 422 problem document and changes nothing."""

import pytest
from sqlalchemy import select

from kindness.api import pagination
from kindness.models import Act, Contact
from tests.clock import TODAY
from tests.factories import make_act, make_contact, make_user

PROBLEM = "application/problem+json"


def contact_rows(session) -> list[tuple]:
    session.expire_all()
    return [
        (contact.id, contact.owner_id, contact.name, contact.note)
        for contact in session.scalars(select(Contact).order_by(Contact.id))
    ]


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def test_add_read_change_delete(api_as, session, ada):
    client = api_as(ada)
    made = client.post("/api/v1/contacts", json={"name": "  Grete   Meier ", "note": "Stairs"})
    assert made.status_code == 201
    grete = made.get_json()
    assert (grete["name"], grete["note"]) == ("Grete Meier", "Stairs")
    assert client.get(f"/api/v1/contacts/{grete['id']}").get_json() == grete

    renamed = client.patch(f"/api/v1/contacts/{grete['id']}", json={"name": "Grete"})
    assert renamed.status_code == 200
    # Only the name changed; the note stays.
    assert renamed.get_json() == {**grete, "name": "Grete"}
    cleared = client.patch(f"/api/v1/contacts/{grete['id']}", json={"note": None})
    assert cleared.get_json() == {"id": grete["id"], "name": "Grete", "note": None}

    deleted = client.delete(f"/api/v1/contacts/{grete['id']}")
    assert (deleted.status_code, deleted.get_data()) == (204, b"")
    assert contact_rows(session) == []
    assert client.get(f"/api/v1/contacts/{grete['id']}").status_code == 404


def test_a_contacts_acts_stay_when_it_goes(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    act = make_act(session, ada, TODAY, contact=grete)
    assert api_as(ada).delete(f"/api/v1/contacts/{grete.id}").status_code == 204
    session.expire_all()
    assert session.get_one(Act, act.id).contact_id is None


def test_the_list_pages_through_in_the_order_added(api_as, session, ada):
    names = [f"Person {number:02}" for number in range(12)]
    made = [make_contact(session, ada, name) for name in names]
    make_contact(session, make_user(session), "Someone else's")
    client = api_as(ada, scope="read")
    seen, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/contacts?limit=5" + (f"&cursor={cursor}" if cursor else "")
        ).get_json()
        seen.extend((item["id"], item["name"]) for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [(contact.id, contact.name) for contact in made]


def test_the_list_costs_the_same_queries_whatever_its_size(api_as, session, ada, count_queries):
    client = api_as(ada)
    client.get("/api/v1/me")  # the token's day of use is noted once a day
    counts = []
    for count in (2, 80):
        while len(contact_rows(session)) < count:
            make_contact(session, ada, f"Person {len(contact_rows(session))}")
        with count_queries() as counter:
            page = client.get("/api/v1/contacts?limit=100").get_json()
        assert len(page["items"]) == count
        counts.append(counter.count)
    # The token and the contacts.
    assert counts == [2, 2]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": 7}, "name"),
        ({"name": None}, "name"),
        ({"name": "GRETE"}, "name"),
        ({"name": "Hans", "note": "x" * 1001}, "note"),
        ({"name": "Hans", "note": ["a"]}, "note"),
        ({"name": "Hans", "id": 3}, "id"),
        ({"name": "Hans", "owner_id": 3}, "owner_id"),
    ],
)
def test_a_refused_contact_is_not_added(api_as, session, ada, body, field):
    make_contact(session, ada, "Grete")
    before = contact_rows(session)
    response = api_as(ada).post("/api/v1/contacts", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]["json"]
    assert contact_rows(session) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "hans"}, "name"),
        ({"note": 5}, "note"),
        ({"acts": 3}, "acts"),
    ],
)
def test_a_refused_change_changes_nothing(api_as, session, ada, body, field):
    grete = make_contact(session, ada, "Grete", note="Stairs")
    make_contact(session, ada, "Hans")
    before = contact_rows(session)
    response = api_as(ada).patch(f"/api/v1/contacts/{grete.id}", json={"note": "New", **body})
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert contact_rows(session) == before


def test_renaming_a_contact_to_its_own_name_in_other_letters_is_fine(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    response = api_as(ada).patch(f"/api/v1/contacts/{grete.id}", json={"name": "GRETE"})
    assert (response.status_code, response.get_json()["name"]) == (200, "GRETE")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "a" * 201,
        pagination.encode(["1"]),
        pagination.encode([1, 2]),
        pagination.encode([2**70]),
        pagination.encode([True]),
    ],
)
def test_a_bad_cursor_is_422(api_as, session, ada, cursor):
    response = api_as(ada).get(f"/api/v1/contacts?cursor={cursor}")
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert "cursor" in response.get_json()["errors"]["query"]


@pytest.mark.parametrize("path", ["/api/v1/contacts/0", f"/api/v1/contacts/{2**31}"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_ids_that_cannot_be_are_404(api_as, session, ada, path, method):
    make_contact(session, ada, "Grete")
    before = contact_rows(session)
    response = getattr(api_as(ada), method)(path, json={"name": "Changed"})
    assert (response.status_code, response.mimetype) == (404, PROBLEM)
    assert contact_rows(session) == before
