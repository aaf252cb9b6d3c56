"""What the API reads from a request, outside schemathesis: a body is a JSON
object sent as JSON (else 422 or 415, as problems, never a 500 or a silent
no-op), values are of JSON's own types (true is a boolean, not "yes"; 12.0 is an
integer, as JSON Schema says), and a query holds only the parameters an
operation names."""

import pytest
from sqlalchemy import func, select

from kindness.models import Act, Challenge
from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "application/problem+json"
WRITES = [
    ("post", "/api/v1/acts"),
    ("patch", "/api/v1/me"),
    ("patch", "/api/v1/acts/{act}"),
    ("post", "/api/v1/challenges"),
    ("post", "/api/v1/cards/claim"),
    ("post", "/api/v1/teams/join"),
]


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def acts_of(session, user) -> int:
    return session.scalar(select(func.count()).select_from(Act).where(Act.author_id == user.id))


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_write_without_a_body_is_422(api_as, session, ada, method, path):
    act = make_act(session, ada, TODAY)
    response = getattr(api_as(ada), method)(path.format(act=act.id))
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.get_json()["errors"] == {
        "json": {"_schema": ["Send a JSON object as the body."]}
    }


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_body_that_is_not_json_is_415(api_as, session, ada, method, path, content_type):
    act = make_act(session, ada, TODAY)
    body = '{"what": "Soup for a neighbour", "display_name": "Ada L."}'
    if content_type != "text/plain":
        body = "what=Soup+for+a+neighbour&display_name=Ada+L."
    response = getattr(api_as(ada), method)(
        path.format(act=act.id), data=body, content_type=content_type
    )
    assert response.status_code == 415
    assert response.mimetype == PROBLEM
    assert response.get_json()["type"].endswith("not-json")
    session.expire_all()
    assert ada.display_name == "Ada"
    assert acts_of(session, ada) == 1


def test_a_json_body_with_a_json_suffix_type_is_read(api_as, session, ada):
    response = api_as(ada).post(
        "/api/v1/acts", data='{"what": "Soup"}', content_type="application/merge-patch+json"
    )
    assert response.status_code == 201
    assert acts_of(session, ada) == 1


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/challenges", {"pledge": "yes"}, "pledge"),
        ("/api/v1/challenges", {"pledge": 1}, "pledge"),
        ("/api/v1/cards/claim", {"code": "abc", "named": "on"}, "named"),
        ("/api/v1/cards", {"act_id": 1, "show_text": "true"}, "show_text"),
        ("/api/v1/cards", {"act_id": "1"}, "act_id"),
        ("/api/v1/cards", {"act_id": 1.5}, "act_id"),
        ("/api/v1/cards", {"act_id": True}, "act_id"),
    ],
)
def test_booleans_and_integers_are_json_ones(api_as, session, ada, path, body, field):
    response = api_as(ada).post(path, json=body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert session.scalar(select(func.count()).select_from(Challenge)) == 0


def test_a_whole_number_written_with_a_point_is_an_integer(api_as, session, ada):
    act = make_act(session, ada, TODAY)
    api = api_as(ada)
    assert api.patch("/api/v1/me", json={"mail_hour": 20.0}).get_json()["mail_hour"] == 20
    made = api.post("/api/v1/cards", json={"act_id": float(act.id)})
    assert made.status_code == 201
    assert made.get_json()["act_id"] == act.id


@pytest.mark.parametrize("query", ["categroy=help", "=1", "limit=5&page=2"])
def test_a_query_parameter_the_operation_does_not_name_is_422(api_as, ada, query):
    response = api_as(ada).get("/api/v1/acts?" + query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    unknown = query.rpartition("&")[2].partition("=")[0]
    assert response.get_json()["errors"] == {"query": {unknown: ["Unknown field."]}}


def test_the_named_query_parameters_still_filter(api_as, session, ada):
    make_act(session, ada, TODAY, category="gift")
    make_act(session, ada, TODAY, category="help")
    items = api_as(ada).get("/api/v1/acts?category=gift&limit=5").get_json()["items"]
    assert [item["category"] for item in items] == ["gift"]


@pytest.mark.parametrize("body", ["null", "[]", '"Soup"', "12"])
def test_a_json_body_that_is_not_an_object_is_422(api_as, session, ada, body):
    response = api_as(ada).post("/api/v1/acts", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert acts_of(session, ada) == 0


def test_a_body_that_is_not_valid_json_is_400(api_as, session, ada):
    response = api_as(ada).post("/api/v1/acts", data='{"what": ', content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM
    assert acts_of(session, ada) == 0


def test_a_body_over_the_limit_is_413(app, api_as, session, ada):
    what = "x" * app.config["MAX_CONTENT_LENGTH"]
    response = api_as(ada).post("/api/v1/acts", json={"what": what})
    assert response.status_code == 413
    assert response.mimetype == PROBLEM
    assert acts_of(session, ada) == 0
