"""JSON bodies Python's parser cannot read although they are JSON answer 400 and
change nothing, on the API and on a page a client posts JSON to; malformed JSON
is left to the reader, which says what is wrong."""

import pytest
from sqlalchemy import func, select

from kindness.models import Act, User
from tests.api.conftest import token_for
from tests.factories import make_user

DEEP = "[" * 5000 + "]" * 5000
LONG_NUMBER = '{"what": "Helped", "contact_id": ' + "9" * 5000 + "}"


@pytest.mark.parametrize(
    ("body", "detail"),
    [(DEEP, "nested too deeply"), (LONG_NUMBER, "too many digits")],
    ids=["deep", "long-number"],
)
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-token"])
def test_the_api_refuses_an_unreadable_body(client, session, body, detail, with_token):
    headers = {"Authorization": f"Bearer {token_for(session, make_user(session))}"}
    response = client.post(
        "/api/v1/acts",
        data=body,
        content_type="application/json",
        headers=headers if with_token else {},
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]
    assert session.scalar(select(func.count(Act.id))) == 0


@pytest.mark.parametrize("body", [DEEP, '{"email": "a@example.org", "n": ' + "1" * 5000 + "}"])
def test_a_page_refuses_an_unreadable_json_body(client, session, body):
    users = session.scalar(select(func.count(User.id)))
    response = client.post("/signup", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert session.scalar(select(func.count(User.id))) == users


def test_malformed_json_is_left_to_the_reader(client, session):
    headers = {"Authorization": f"Bearer {token_for(session, make_user(session))}"}
    response = client.post(
        "/api/v1/acts", data='{"what": ', content_type="application/json", headers=headers
    )
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert "too many digits" not in response.get_json().get("detail", "")
