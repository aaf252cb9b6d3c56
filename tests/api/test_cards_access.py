"""Access to /api/v1/cards: another person's act answers 404 and its card stays
as it was; a read token's write answers 403 and changes nothing."""

import pytest
from sqlalchemy import select

from kindness.domain import passes
from kindness.models import Act, Pass
from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def cards(session):
    """Ben's two acts: one with an open card, one never passed on; Ada, a stranger."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    carded = make_act(session, ben, TODAY, what="Ben's carded act")
    plain = make_act(session, ben, TODAY, what="Ben's plain act")
    link = passes.create(session, carded, show_text=False)
    session.commit()
    return ada, ben, carded, plain, link.code


def state(session) -> list[tuple]:
    session.expire_all()
    passes_now = session.execute(
        select(Pass.act_id, Pass.show_text, Pass.revoked_at, Pass.claimed_by_id).order_by(Pass.id)
    ).all()
    recipients = session.execute(select(Act.id, Act.recipient_id).order_by(Act.id)).all()
    return passes_now + recipients


@pytest.mark.parametrize("which", ["carded", "plain"])
def test_making_a_card_of_another_persons_act_is_404(api_as, session, cards, which):
    ada, _ben, carded, plain, _code = cards
    act = carded if which == "carded" else plain
    before = state(session)
    response = api_as(ada).post("/api/v1/cards", json={"act_id": act.id, "show_text": True})
    assert response.status_code == 404
    assert state(session) == before


@pytest.mark.parametrize(
    ("method", "template"),
    [("GET", "/api/v1/cards/{act_id}"), ("POST", "/api/v1/cards/{act_id}/revoke")],
)
def test_another_persons_card_is_404_and_unchanged(api_as, session, cards, method, template):
    ada, _ben, carded, _plain, code = cards
    before = state(session)
    response = api_as(ada).open(template.format(act_id=carded.id), method=method)
    assert response.status_code == 404
    assert code not in response.get_data(as_text=True)
    assert state(session) == before


def test_the_list_holds_only_ones_own_cards(api_as, cards):
    ada, ben, carded, _plain, code = cards
    assert api_as(ada).get("/api/v1/cards").get_json()["items"] == []
    (card,) = api_as(ben, scope="read").get("/api/v1/cards").get_json()["items"]
    assert (card["act_id"], card["code"]) == (carded.id, code)


@pytest.mark.parametrize(
    ("template", "body"),
    [
        ("/api/v1/cards", "make"),
        ("/api/v1/cards/{act_id}/revoke", None),
        ("/api/v1/cards/claim", "claim"),
    ],
)
def test_a_read_token_may_not_write(api_as, session, cards, template, body):
    ada, ben, carded, plain, code = cards
    # Ben makes and revokes cards of his own acts; Ada claims his card.
    who = ada if body == "claim" else ben
    json = {"make": {"act_id": plain.id}, "claim": {"code": code}}.get(body)
    before = state(session)
    response = api_as(who, scope="read").post(template.format(act_id=carded.id), json=json)
    assert response.status_code == 403
    assert state(session) == before
