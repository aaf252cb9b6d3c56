"""Who may do what on /api/v1/me, /api/v1/acts and /api/v1/contacts: every
operation with another person's ids answers exactly as for ids that do not
exist (404, or 422 for an id in a body or a filter) and changes nothing; every
write with a read-only token is 403 and changes nothing.

The path templates are written as the OpenAPI document spells them."""

import pytest
from sqlalchemy import select

from kindness.models import Act, Contact, User
from tests.clock import TODAY
from tests.factories import make_act, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")

ME = "/api/v1/me"
ACTS = "/api/v1/acts"
ACT = "/api/v1/acts/{act_id}"
CONTACTS = "/api/v1/contacts"
CONTACT = "/api/v1/contacts/{contact_id}"
MISSING = 2**31 - 1


def everything(session) -> list[tuple]:
    """Every user's, act's and contact's stored values, to see that nothing changed."""
    session.expire_all()
    users = [
        (user.id, user.display_name, user.time_zone, user.locale, user.mail_hour)
        for user in session.scalars(select(User).order_by(User.id))
    ]
    acts = [
        (act.id, act.author_id, act.what, act.note, act.visibility, act.contact_id)
        for act in session.scalars(select(Act).order_by(Act.id))
    ]
    contacts = [
        (contact.id, contact.owner_id, contact.name, contact.note)
        for contact in session.scalars(select(Contact).order_by(Contact.id))
    ]
    return [users, acts, contacts]


@pytest.fixture
def world(session):
    """Ada, who asks, and Bert, whose act and contact she must not reach."""
    ada = make_user(session, display_name="Ada")
    bert = make_user(session, display_name="Bert")
    own_contact = make_contact(session, ada, "Grete")
    own_act = make_act(session, ada, TODAY, contact=own_contact, note="Ada's note")
    contact = make_contact(session, bert, "Bert's secret friend", note="Bert's private note")
    act = make_act(session, bert, TODAY, contact=contact, note="Bert's private note")
    return {
        "ada": ada,
        "bert": bert,
        "own_act": own_act.id,
        "own_contact": own_contact.id,
        "act": act.id,
        "contact": contact.id,
    }


def same_refusal(theirs, missing) -> None:
    """Another person's object is refused word for word as one that does not exist."""
    assert theirs.status_code == missing.status_code
    assert theirs.mimetype == missing.mimetype == "application/problem+json"
    first, second = theirs.get_json(), missing.get_json()
    first.pop("instance"), second.pop("instance")
    assert first == second


# Another person's ids


def test_me_is_always_the_tokens_person(api_as, session, world):
    # GET /api/v1/me and PATCH /api/v1/me take no id: they speak for the token.
    client = api_as(world["ada"])
    assert client.get(ME).get_json()["display_name"] == "Ada"
    assert client.patch(ME, json={"display_name": "Countess"}).status_code == 200
    session.expire_all()
    assert session.get_one(User, world["bert"].id).display_name == "Bert"


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_anothers_act_is_404_and_unchanged(api_as, session, world, method):
    before = everything(session)
    client = api_as(world["ada"])
    body = {"what": "Ada was here", "note": None}
    theirs = getattr(client, method)(ACT.format(act_id=world["act"]), json=body)
    missing = getattr(client, method)(ACT.format(act_id=MISSING), json=body)
    assert theirs.status_code == 404
    same_refusal(theirs, missing)
    assert "Bert" not in theirs.get_data(as_text=True)
    assert everything(session) == before


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_anothers_contact_is_404_and_unchanged(api_as, session, world, method):
    before = everything(session)
    client = api_as(world["ada"])
    body = {"name": "Ada was here"}
    theirs = getattr(client, method)(CONTACT.format(contact_id=world["contact"]), json=body)
    missing = getattr(client, method)(CONTACT.format(contact_id=MISSING), json=body)
    assert theirs.status_code == 404
    same_refusal(theirs, missing)
    assert "Bert" not in theirs.get_data(as_text=True)
    assert everything(session) == before


def test_the_lists_hold_only_ones_own(api_as, session, world):
    client = api_as(world["ada"])
    acts = client.get(ACTS).get_json()["items"]
    contacts = client.get(CONTACTS).get_json()["items"]
    assert [act["id"] for act in acts] == [world["own_act"]]
    assert [contact["id"] for contact in contacts] == [world["own_contact"]]
    # Bert sees his own, not Ada's.
    berts = api_as(world["bert"]).get(ACTS).get_json()["items"]
    assert [act["id"] for act in berts] == [world["act"]]


def test_filtering_acts_by_anothers_contact_is_refused_as_a_missing_one(api_as, session, world):
    client = api_as(world["ada"])
    theirs = client.get(f"{ACTS}?contact={world['contact']}")
    missing = client.get(f"{ACTS}?contact={MISSING}")
    assert theirs.status_code == 422
    assert "contact" in theirs.get_json()["errors"]["query"]
    same_refusal(theirs, missing)


def test_logging_an_act_for_anothers_contact_is_refused_as_a_missing_one(api_as, session, world):
    before = everything(session)
    client = api_as(world["ada"])
    theirs = client.post(ACTS, json={"what": "For Bert's friend", "contact_id": world["contact"]})
    missing = client.post(ACTS, json={"what": "For Bert's friend", "contact_id": MISSING})
    assert theirs.status_code == 422
    assert "contact_id" in theirs.get_json()["errors"]["json"]
    same_refusal(theirs, missing)
    assert everything(session) == before


def test_moving_ones_act_to_anothers_contact_is_refused(api_as, session, world):
    before = everything(session)
    response = api_as(world["ada"]).patch(
        ACT.format(act_id=world["own_act"]), json={"contact_id": world["contact"]}
    )
    assert response.status_code == 422
    assert everything(session) == before


def test_passing_on_anothers_act_that_one_did_not_receive_is_refused(api_as, session, world):
    before = everything(session)
    ref = session.get_one(Act, world["act"]).ref
    response = api_as(world["ada"]).post(ACTS, json={"what": "Passed on", "parent_ref": ref})
    assert response.status_code == 422
    assert everything(session) == before


# A read token on every write


def assert_read_only_refused(response) -> None:
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["type"] == "/developers/api#problem-forbidden"


WRITES = [
    ("patch", ME, {"display_name": "Countess", "mail_hour": 3}),
    ("post", ACTS, {"what": "Written with a read token"}),
    ("patch", ACT, {"what": "Changed with a read token"}),
    ("delete", ACT, None),
    ("post", CONTACTS, {"name": "Written with a read token"}),
    ("patch", CONTACT, {"name": "Changed with a read token"}),
    ("delete", CONTACT, None),
]


@pytest.mark.parametrize(("method", "template", "body"), WRITES)
def test_a_read_token_may_not_write(api_as, session, world, method, template, body):
    before = everything(session)
    path = template.format(act_id=world["own_act"], contact_id=world["own_contact"])
    response = getattr(api_as(world["ada"], scope="read"), method)(path, json=body)
    assert_read_only_refused(response)
    assert everything(session) == before


READS = [ME, ACTS, ACT, CONTACTS, CONTACT]


@pytest.mark.parametrize("template", READS)
def test_a_read_token_may_read(api_as, session, world, template):
    path = template.format(act_id=world["own_act"], contact_id=world["own_contact"])
    assert api_as(world["ada"], scope="read").get(path).status_code == 200
