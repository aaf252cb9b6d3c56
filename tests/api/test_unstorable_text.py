"""Text that no database can store is refused at the API's door (400), for every
resource, never a 500 from the database driver: half of a UTF-16 surrogate
pair spelled alone in JSON (NUL is tests/api/test_auth.py's)."""

import pytest
from sqlalchemy import func, select

from kindness.models import Act, Contact, User
from tests.factories import make_user


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/acts", '{"what": "abc\\ud800def"}'),
        ("post", "/api/v1/acts", '{"what": "Helped", "note": "\\udfff"}'),
        ("post", "/api/v1/contacts", '{"name": "Gr\\udc00te"}'),
        ("patch", "/api/v1/me", '{"display_name": "\\ud83d"}'),
        ("post", "/api/v1/contacts", '{"\\ud800": "Grete"}'),
    ],
)
def test_a_lone_surrogate_is_refused_and_changes_nothing(api_as, session, method, path, body):
    ada = make_user(session, display_name="Ada")
    response = getattr(api_as(ada), method)(path, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert "surrogate" in response.get_json()["detail"]
    session.expire_all()
    assert session.scalar(select(func.count(Act.id))) == 0
    assert session.scalar(select(func.count(Contact.id))) == 0
    assert session.get_one(User, ada.id).display_name == "Ada"


def test_a_whole_surrogate_pair_is_text_like_any_other(api_as, session):
    ada = make_user(session)
    response = api_as(ada).post(
        "/api/v1/contacts", data='{"name": "Grete \\ud83d\\ude00"}', content_type="application/json"
    )
    assert response.status_code == 201
    assert response.get_json()["name"] == "Grete 😀"
