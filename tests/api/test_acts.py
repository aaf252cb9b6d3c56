"""/api/v1/acts: log, list (filtered, newest first, by cursor), read, change and
delete one's own acts, through the functions of the act pages. Refused input is
a 422 problem document and changes nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kindness.api import pagination
from kindness.models import Act, Contact
from tests.clock import TODAY
from tests.factories import claim, make_act, make_acts, make_contact, make_user

PROBLEM = "application/problem+json"

pytestmark = pytest.mark.usefixtures("clock")


def act_rows(session) -> list[tuple]:
    """Every act as stored, to see that a refusal changed nothing."""
    session.expire_all()
    return [
        (act.id, act.what, act.performed_on, act.category, act.visibility, act.note, act.contact_id)
        for act in session.scalars(select(Act).order_by(Act.id))
    ]


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def test_only_what_is_needed_and_the_rest_is_defaulted_as_on_the_form(api_as, session, ada):
    response = api_as(ada).post("/api/v1/acts", json={"what": "Listened to a friend"})
    assert response.status_code == 201
    act = response.get_json()
    stored = session.get_one(Act, act["id"])
    assert act == {
        "id": stored.id,
        "ref": stored.ref,
        "what": "Listened to a friend",
        "performed_on": TODAY.isoformat(),
        "category": "other",
        "visibility": "private",
        "note": None,
        "contact_id": None,
        "contact_name": None,
        "generation": 0,
        "parent_ref": None,
        "claimed": False,
        "hidden": False,
        "created_at": act["created_at"],
        "updated_at": act["updated_at"],
    }
    assert act["created_at"].startswith("2026-11-26T11:00:00")


def test_today_is_the_persons_own(api_as, session, clock):
    nora = make_user(session, time_zone="America/New_York")
    berta = make_user(session, time_zone="Europe/Berlin")
    # 23:30 UTC on 9 March: still the 9th in New York, the 10th in Berlin.
    clock.move_to(datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    for person, day in ((nora, "2026-03-09"), (berta, "2026-03-10")):
        response = api_as(person).post("/api/v1/acts", json={"what": "Brought warm soup"})
        assert response.get_json()["performed_on"] == day


def test_every_field_and_a_new_contact(api_as, session, ada):
    response = api_as(ada).post(
        "/api/v1/acts",
        json={
            "what": "Taught her to video-call",
            "performed_on": (TODAY - timedelta(days=3)).isoformat(),
            "category": "teaching",
            "visibility": "public",
            "note": "She called her grandson at once",
            "new_contact_name": " Grete ",
        },
    )
    assert response.status_code == 201
    act = response.get_json()
    grete = session.scalars(select(Contact)).one()
    assert (grete.owner_id, grete.name) == (ada.id, "Grete")
    assert (act["contact_id"], act["contact_name"]) == (grete.id, "Grete")
    assert (act["category"], act["visibility"], act["note"]) == (
        "teaching",
        "public",
        "She called her grandson at once",
    )
    assert act["performed_on"] == (TODAY - timedelta(days=3)).isoformat()


def test_passing_on_an_act_received(api_as, session, ada):
    bert = make_user(session)
    first = claim(session, make_act(session, bert, TODAY), ada)
    response = api_as(ada).post(
        "/api/v1/acts", json={"what": "Passed the soup on", "parent_ref": first.ref}
    )
    assert response.status_code == 201
    act = response.get_json()
    assert (act["generation"], act["parent_ref"]) == (1, first.ref)
    # And the act given is now claimed, as its page says.
    assert api_as(bert).get(f"/api/v1/acts/{first.id}").get_json()["claimed"] is True


def test_one_can_only_pass_on_what_one_received(api_as, session, ada):
    bert = make_user(session)
    not_received = make_act(session, bert, TODAY)
    before = act_rows(session)
    response = api_as(ada).post(
        "/api/v1/acts", json={"what": "Passed it on", "parent_ref": not_received.ref}
    )
    assert response.status_code == 422
    assert "parent_ref" in response.get_json()["errors"]["json"]
    assert act_rows(session) == before


def test_read_one(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    act = make_act(session, ada, TODAY, contact=grete, note="Her stairs")
    answer = api_as(ada, scope="read").get(f"/api/v1/acts/{act.id}").get_json()
    assert (answer["id"], answer["what"], answer["contact_name"], answer["note"]) == (
        act.id,
        act.what,
        "Grete",
        "Her stairs",
    )


def test_a_change_changes_only_the_fields_sent(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    act = make_act(
        session, ada, TODAY - timedelta(days=2), contact=grete, category="help", note="Upstairs"
    )
    response = api_as(ada).patch(f"/api/v1/acts/{act.id}", json={"visibility": "team"})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["visibility"] == "team"
    assert (answer["what"], answer["category"], answer["note"], answer["contact_name"]) == (
        act.what,
        "help",
        "Upstairs",
        "Grete",
    )
    assert answer["performed_on"] == (TODAY - timedelta(days=2)).isoformat()
    session.expire_all()
    assert session.get_one(Act, act.id).visibility == "team"


def test_an_act_older_than_a_year_keeps_its_date_when_changed(api_as, session, ada, clock):
    old_day = TODAY - timedelta(days=300)
    act = make_act(session, ada, old_day)
    clock.move_to(datetime(2027, 11, 1, 12, tzinfo=UTC))
    response = api_as(ada).patch(f"/api/v1/acts/{act.id}", json={"what": "Carried two bags"})
    assert response.status_code == 200
    assert response.get_json()["performed_on"] == old_day.isoformat()


def test_the_answer_to_a_change_names_the_new_contact(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    hans = make_contact(session, ada, "Hans")
    act = make_act(session, ada, TODAY, contact=grete)
    client = api_as(ada)
    moved = client.patch(f"/api/v1/acts/{act.id}", json={"contact_id": hans.id}).get_json()
    assert (moved["contact_id"], moved["contact_name"]) == (hans.id, "Hans")
    named = client.patch(f"/api/v1/acts/{act.id}", json={"new_contact_name": "Ilse"}).get_json()
    assert named["contact_name"] == "Ilse"
    nobody = client.patch(f"/api/v1/acts/{act.id}", json={"contact_id": None}).get_json()
    assert (nobody["contact_id"], nobody["contact_name"]) == (None, None)
    cleared = client.patch(f"/api/v1/acts/{act.id}", json={"note": None}).get_json()
    assert cleared["note"] is None


def test_delete(api_as, session, ada):
    act_id = make_act(session, ada, TODAY).id
    client = api_as(ada)
    response = client.delete(f"/api/v1/acts/{act_id}")
    assert response.status_code == 204
    assert response.get_data() == b""
    assert act_rows(session) == []
    assert client.get(f"/api/v1/acts/{act_id}").status_code == 404


def test_a_deleted_act_that_travelled_stays_as_a_placeholder(api_as, session, ada):
    bert = make_user(session)
    first = claim(session, make_act(session, ada, TODAY), bert)
    make_act(session, bert, TODAY, parent=first)
    assert api_as(ada).delete(f"/api/v1/acts/{first.id}").status_code == 204
    session.expire_all()
    placeholder = session.get_one(Act, first.id)
    assert (placeholder.what, placeholder.author_id) == (None, None)


# The list


def listed(client, query: str = "") -> list[dict]:
    response = client.get("/api/v1/acts" + query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_the_list_is_newest_first_by_date_then_as_logged(api_as, session, ada):
    older = make_act(session, ada, TODAY - timedelta(days=1), what="Older one")
    first = make_act(session, ada, TODAY, what="First today")
    second = make_act(session, ada, TODAY, what="Second today")
    make_act(session, make_user(session), TODAY, what="Someone else's")
    items = listed(api_as(ada, scope="read"))
    assert [item["id"] for item in items] == [second.id, first.id, older.id]
    assert items[0]["what"] == "Second today"


def test_the_pages_hold_every_act_once(api_as, session, ada):
    days = [TODAY - timedelta(days=number // 3) for number in range(23)]
    made = make_acts(session, ada, days)
    client = api_as(ada)
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=5" + (f"&cursor={cursor}" if cursor else "")
        page = client.get("/api/v1/acts" + query).get_json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    expected = sorted(made, key=lambda act: (act.performed_on, act.id), reverse=True)
    assert seen == [act.id for act in expected]


def test_a_cursor_keeps_its_place_when_acts_are_logged_meanwhile(api_as, session, ada):
    made = make_acts(session, ada, [TODAY - timedelta(days=n) for n in range(4)])
    client = api_as(ada)
    first = client.get("/api/v1/acts?limit=2").get_json()
    make_act(session, ada, TODAY, what="Logged meanwhile")
    second = client.get(f"/api/v1/acts?limit=2&cursor={first['next_cursor']}").get_json()
    assert [item["id"] for item in second["items"]] == [made[2].id, made[3].id]
    assert second["next_cursor"] is None


def test_the_filters(api_as, session, ada):
    grete = make_contact(session, ada, "Grete")
    old = make_act(session, ada, TODAY - timedelta(days=10), category="help", contact=grete)
    public = make_act(session, ada, TODAY - timedelta(days=5), category="gift", visibility="public")
    recent = make_act(session, ada, TODAY, category="help", visibility="team", contact=grete)
    client = api_as(ada)

    def ids(query: str) -> list[int]:
        return [item["id"] for item in listed(client, query)]

    week_ago = (TODAY - timedelta(days=7)).isoformat()
    assert ids(f"?from={week_ago}") == [recent.id, public.id]
    assert ids(f"?to={week_ago}") == [old.id]
    assert ids(f"?from={week_ago}&to={week_ago}") == []
    assert ids("?category=help") == [recent.id, old.id]
    assert ids("?visibility=public") == [public.id]
    assert ids(f"?contact={grete.id}") == [recent.id, old.id]
    assert ids(f"?contact={grete.id}&from={week_ago}&visibility=team") == [recent.id]
    # The cursor continues within the same filters.
    page = client.get(f"/api/v1/acts?contact={grete.id}&limit=1").get_json()
    assert [item["id"] for item in page["items"]] == [recent.id]
    rest = client.get(
        f"/api/v1/acts?contact={grete.id}&limit=1&cursor={page['next_cursor']}"
    ).get_json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == ([old.id], None)


def test_the_list_costs_the_same_queries_whatever_its_size(api_as, session, ada, count_queries):
    grete = make_contact(session, ada, "Grete")
    received = claim(
        session, make_act(session, make_user(session), TODAY - timedelta(days=40)), ada
    )
    # From the first page on: acts with a contact and with a parent to load.
    make_act(session, ada, TODAY - timedelta(days=39), contact=grete, parent=received)
    client = api_as(ada)
    client.get("/api/v1/me")  # the token's day of use is noted once a day
    counts = []
    for more in (0, 60):
        if more:
            make_acts(session, ada, [TODAY - timedelta(days=n % 30) for n in range(more)], [grete])
        with count_queries() as filtered:
            page = client.get(f"/api/v1/acts?limit=100&contact={grete.id}").get_json()
        assert len(page["items"]) == 1 + more
        with count_queries() as unfiltered:
            listed(client, "?limit=100")
        counts.append((filtered.count, unfiltered.count))
    assert counts[0] == counts[1]
    # The token, the contact filter's check, the acts, their contacts and their parents.
    assert counts[1] == (5, 4)


# Refused input


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "what"),
        ({"what": "ab"}, "what"),
        ({"what": "   ab   "}, "what"),
        ({"what": "x" * 501}, "what"),
        ({"what": 12345}, "what"),
        ({"what": None}, "what"),
        ({"what": "Helped", "performed_on": "2026-13-01"}, "performed_on"),
        ({"what": "Helped", "performed_on": "yesterday"}, "performed_on"),
        ({"what": "Helped", "performed_on": 20261126}, "performed_on"),
        ({"what": "Helped", "performed_on": "2026-11-27"}, "performed_on"),
        ({"what": "Helped", "performed_on": "2025-11-01"}, "performed_on"),
        ({"what": "Helped", "category": "heroics"}, "category"),
        ({"what": "Helped", "visibility": "everyone"}, "visibility"),
        ({"what": "Helped", "note": "x" * 1001}, "note"),
        ({"what": "Helped", "contact_id": "1"}, "contact_id"),
        ({"what": "Helped", "contact_id": 0}, "contact_id"),
        ({"what": "Helped", "contact_id": 2**31}, "contact_id"),
        ({"what": "Helped", "contact_id": 10**30}, "contact_id"),
        ({"what": "Helped", "contact_id": 2**31 - 1}, "contact_id"),
        ({"what": "Helped", "new_contact_name": "x" * 81}, "new_contact_name"),
        ({"what": "Helped", "parent_ref": "x" * 17}, "parent_ref"),
        ({"what": "Helped", "parent_ref": "nosuchref"}, "parent_ref"),
        ({"what": "Helped", "idea_number": 99999}, "idea_number"),
        ({"what": "Helped", "idea_number": 30000}, "idea_number"),
        ({"what": "Helped", "idea_number": True}, "idea_number"),
        ({"what": "Helped", "author_id": 1}, "author_id"),
        ({"what": "Helped", "id": 5}, "id"),
        ({"what": "Helped", "ref": "abc"}, "ref"),
    ],
)
def test_a_refused_act_is_not_logged(api_as, session, ada, body, field):
    make_act(session, ada, TODAY)
    before = act_rows(session)
    contacts_before = session.scalar(select(func.count(Contact.id)))
    response = api_as(ada).post("/api/v1/acts", json=body)
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]["json"]
    assert act_rows(session) == before
    assert session.scalar(select(func.count(Contact.id))) == contacts_before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"what": "ab"}, "what"),
        ({"what": "x" * 501}, "what"),
        ({"performed_on": "2026-02-30"}, "performed_on"),
        ({"performed_on": "2030-01-01"}, "performed_on"),
        ({"category": None}, "category"),
        ({"visibility": 1}, "visibility"),
        ({"contact_id": 2**31 - 1}, "contact_id"),
        ({"parent_ref": "abc"}, "parent_ref"),
        ({"idea_number": 1}, "idea_number"),
        ({"generation": 3}, "generation"),
    ],
)
def test_a_refused_change_changes_nothing(api_as, session, ada, body, field):
    act = make_act(session, ada, TODAY, note="Kept")
    before = act_rows(session)
    response = api_as(ada).patch(f"/api/v1/acts/{act.id}", json={"note": "Changed", **body})
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]["json"]
    assert act_rows(session) == before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=2026-02-30", "from"),
        ("?to=tomorrow", "to"),
        ("?category=heroics", "category"),
        ("?visibility=all", "visibility"),
        ("?contact=abc", "contact"),
        ("?contact=0", "contact"),
        (f"?contact={2**31}", "contact"),
        ("?contact=999999", "contact"),
        ("?limit=0", "limit"),
        ("?limit=101", "limit"),
        ("?limit=ten", "limit"),
        ("?cursor=!!!", "cursor"),
        ("?cursor=" + "a" * 201, "cursor"),
        ("?cursor=" + pagination.encode(["2026-02-30", 1]), "cursor"),
        ("?cursor=" + pagination.encode(["not a date", 1]), "cursor"),
        ("?cursor=" + pagination.encode([1, "2026-11-26"]), "cursor"),
        ("?cursor=" + pagination.encode(["2026-11-26", 2**64]), "cursor"),
        ("?cursor=" + pagination.encode(["2026-11-26", -5]), "cursor"),
        ("?cursor=" + pagination.encode(["2026-11-26"]), "cursor"),
    ],
)
def test_a_refused_query_is_422(api_as, session, ada, query, field):
    response = api_as(ada).get("/api/v1/acts" + query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]["query"]


def test_a_cursor_past_the_end_or_before_anything_is_an_empty_page(api_as, session, ada):
    make_act(session, ada, TODAY)
    client = api_as(ada)
    for key in (["0001-01-01", 1], ["9999-12-31", 2**31 - 1]):
        page = client.get("/api/v1/acts?cursor=" + pagination.encode(key)).get_json()
        assert len(page["items"]) == (1 if key[0] == "9999-12-31" else 0)


@pytest.mark.parametrize("path", ["/api/v1/acts/0", f"/api/v1/acts/{2**31}", "/api/v1/acts/x"])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_ids_that_cannot_be_are_404(api_as, session, ada, path, method):
    make_act(session, ada, TODAY)
    before = act_rows(session)
    response = getattr(api_as(ada), method)(path, json={"what": "Changed it"})
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert act_rows(session) == before


@pytest.mark.parametrize("body", ["[]", '"Helped"', "{", "null"])
def test_a_body_that_is_no_object_is_refused(api_as, session, ada, body):
    response = api_as(ada).post("/api/v1/acts", data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM
    assert act_rows(session) == []


def test_an_act_today_dated_in_the_persons_own_calendar_is_not_in_the_future(
    api_as, session, clock
):
    # 23:30 UTC on 26 November is the 27th in Tokyo: that day is "today" there.
    tokyo = make_user(session, time_zone="Asia/Tokyo")
    clock.move_to(datetime(2026, 11, 26, 23, 30, tzinfo=UTC))
    response = api_as(tokyo).post(
        "/api/v1/acts", json={"what": "Helped early", "performed_on": "2026-11-27"}
    )
    assert response.status_code == 201
    assert date.fromisoformat(response.get_json()["performed_on"]) == date(2026, 11, 27)
