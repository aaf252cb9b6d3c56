"""/api/v1/cards: make a card for an act of one's own, withdraw it, list one's
cards with their claims, and claim someone else's card by its code."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain import passes
from kindness.models import Act, Notification, Pass
from tests.clock import TODAY
from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

PROBLEM = "application/problem+json"


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


@pytest.fixture
def ben(session):
    return make_user(session, display_name="Ben")


@pytest.fixture
def act(session, ada):
    return make_act(session, ada, TODAY, what="Shovelled the snow")


def passes_of(session, act) -> list[tuple]:
    session.expire_all()
    return session.execute(
        select(Pass.code, Pass.show_text, Pass.revoked_at, Pass.claimed_by_id)
        .where(Pass.act_id == act.id)
        .order_by(Pass.id)
    ).all()


def recipient_of(session, act):
    session.expire_all()
    return session.get(Act, act.id).recipient_id


def test_make_a_card_then_read_it(api_as, session, ada, act):
    api = api_as(ada)
    response = api.post("/api/v1/cards", json={"act_id": act.id, "show_text": True})
    assert response.status_code == 201
    card = response.get_json()
    assert card["act_id"] == act.id
    assert card["state"] == "open"
    assert card["show_text"] is True
    assert passes.CODE_PATTERN.match(card["code"])
    assert api.get(f"/api/v1/cards/{act.id}").get_json() == card
    assert passes_of(session, act) == [(card["code"], True, None, None)]


def test_making_it_again_answers_the_open_card(api_as, session, ada, act):
    api = api_as(ada)
    first = api.post("/api/v1/cards", json={"act_id": act.id}).get_json()
    assert first["show_text"] is False
    kept = api.post("/api/v1/cards", json={"act_id": act.id}).get_json()
    changed = api.post("/api/v1/cards", json={"act_id": act.id, "show_text": True}).get_json()
    assert first["code"] == kept["code"] == changed["code"]
    assert (kept["show_text"], changed["show_text"]) == (False, True)
    assert len(passes_of(session, act)) == 1


def test_an_act_never_passed_on_has_no_card(api_as, ada, act):
    response = api_as(ada).get(f"/api/v1/cards/{act.id}")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_a_claimed_act_gets_no_new_card(api_as, session, ada, ben, act):
    claim(session, act, ben)
    response = api_as(ada).post("/api/v1/cards", json={"act_id": act.id})
    assert response.status_code == 409
    assert len(passes_of(session, act)) == 1


@pytest.mark.parametrize(
    "body",
    [{}, {"act_id": "one"}, {"act_id": 0}, {"act_id": 2**31}, {"act_id": 1, "extra": 1}],
)
def test_bad_input_to_make_is_422(api_as, session, ada, act, body):
    response = api_as(ada).post("/api/v1/cards", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert passes_of(session, act) == []


def test_revoke_the_open_card(api_as, session, ada, ben, act):
    api = api_as(ada)
    code = api.post("/api/v1/cards", json={"act_id": act.id}).get_json()["code"]
    response = api.post(f"/api/v1/cards/{act.id}/revoke")
    assert response.status_code == 200
    assert response.get_json()["state"] == "revoked"
    assert response.get_json()["revoked_at"] is not None
    assert api.post(f"/api/v1/cards/{act.id}/revoke").status_code == 409
    refused = api_as(ben).post("/api/v1/cards/claim", json={"code": code})
    assert refused.status_code == 409
    assert "withdrew" in refused.get_json()["detail"]
    assert recipient_of(session, act) is None


def test_claim_by_code(api_as, session, ada, ben, act):
    code = api_as(ada).post("/api/v1/cards", json={"act_id": act.id, "show_text": True})
    code = code.get_json()["code"]
    response = api_as(ben).post("/api/v1/cards/claim", json={"code": code, "named": True})
    assert response.status_code == 200
    received = response.get_json()
    assert received["ref"] == act.ref
    assert received["what"] == "Shovelled the snow"
    assert received["giver_name"] == "Ada"
    assert received["named"] is True
    assert received["claimed_at"] is not None
    assert recipient_of(session, act) == ben.id
    # Ada hears of it, and her list names Ben (he chose to be named).
    assert session.scalar(select(Notification.kind).where(Notification.user_id == ada.id)) == (
        "claimed"
    )
    (card,) = api_as(ada).get("/api/v1/cards").get_json()["items"]
    assert (card["state"], card["claimed_by"]) == ("claimed", "Ben")


def test_a_card_claimed_a_moment_ago_is_409_card_claimed(api_as, session, ada, ben, act):
    link = passes.create(session, act, show_text=False)
    session.commit()
    cy = make_user(session, display_name="Cy")
    claim_of = {"code": link.code}
    assert api_as(cy).post("/api/v1/cards/claim", json=claim_of).status_code == 200
    second = api_as(ben).post("/api/v1/cards/claim", json=claim_of)
    assert second.status_code == 409
    assert second.get_json()["type"] == "/developers/api#problem-card-claimed"
    assert recipient_of(session, act) == cy.id


def test_ones_own_card_cannot_be_claimed(api_as, session, ada, act):
    api = api_as(ada)
    code = api.post("/api/v1/cards", json={"act_id": act.id}).get_json()["code"]
    response = api.post("/api/v1/cards/claim", json={"code": code})
    assert response.status_code == 409
    assert "your own act" in response.get_json()["detail"]
    assert recipient_of(session, act) is None


@pytest.mark.parametrize(
    "body",
    [{"code": "x" * 101}, {"code": ""}, {}, {"code": 12345}, {"code": "a" * 22, "more": 1}],
)
def test_a_malformed_claim_is_422(api_as, ben, body):
    response = api_as(ben).post("/api/v1/cards/claim", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM


@pytest.mark.parametrize("code", ["a" * 22, "short", "../../etc", "é" * 20])
def test_an_unknown_code_is_404(api_as, session, ben, code):
    response = api_as(ben).post("/api/v1/cards/claim", json={"code": code})
    assert response.status_code == 404
    assert response.mimetype == PROBLEM
    assert session.scalar(select(func.count(Act.id)).where(Act.recipient_id == ben.id)) == 0


def test_claims_are_rate_limited_as_on_the_card_page(app, api_as, ben):
    app.config["CLAIM_LIMIT"] = "3 per minute"
    api = api_as(ben)
    statuses = [
        api.post("/api/v1/cards/claim", json={"code": f"guess{n:020d}"}).status_code
        for n in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_the_list_pages_newest_first_with_every_state(api_as, session, ada, ben):
    acts = [make_act(session, ada, TODAY - timedelta(days=n), what=f"Act {n}") for n in range(4)]
    api = api_as(ada)
    for act in acts:
        api.post("/api/v1/cards", json={"act_id": act.id})
    api.post(f"/api/v1/cards/{acts[1].id}/revoke")
    claim(session, acts[2], ben)  # its open card, claimed
    first = api.get("/api/v1/cards", query_string={"limit": 3}).get_json()
    rest = api.get("/api/v1/cards", query_string={"cursor": first["next_cursor"]}).get_json()
    assert rest["next_cursor"] is None
    states = [(card["act_id"], card["state"]) for card in first["items"] + rest["items"]]
    assert states == [
        (acts[3].id, "open"),
        (acts[2].id, "claimed"),
        (acts[1].id, "revoked"),
        (acts[0].id, "open"),
    ]
    assert first["items"][1]["claimed_by"] is None  # Ben did not choose to be named


def test_the_list_costs_the_same_whatever_its_page_size(api_as, session, ada, ben, count_queries):
    api = api_as(ada)
    for n in range(5):
        act = make_act(session, ada, TODAY, what=f"Act {n}")
        link = passes.create(session, act, show_text=False)
        if n % 2:
            passes.claim(session, link.code, ben, named=True)
    session.commit()
    api.get("/api/v1/me")  # the token's first use of the day writes its last-used date
    counts = []
    for limit in (1, 5):
        with count_queries() as counter:
            items = api.get("/api/v1/cards", query_string={"limit": limit}).get_json()["items"]
        assert len(items) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3
