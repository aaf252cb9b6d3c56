"""Personal access tokens at the API's door: who may in, what a read token may
do, the per-token rate limit, and that sessions and tokens do not cross over."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import api_tokens
from kindness.models import ApiToken
from tests.api.conftest import token_for
from tests.clock import TODAY
from tests.factories import make_user

PROBLEM = "application/problem+json"


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    problem = response.get_json()
    assert problem["type"] == "/developers/api#problem-unauthorized"
    assert problem["status"] == 401
    assert problem["instance"] == "/api/v1/me"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer kind_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "kind_x",
        "Bearer " + "k" * 500,
    ],
)
def test_a_wrong_token_is_401(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM


def test_a_token_speaks_for_its_person(api_as, session):
    ada = make_user(session, display_name="Ada")
    response = api_as(ada).get("/api/v1/me")
    assert response.status_code == 200
    assert response.get_json()["display_name"] == "Ada"


def test_a_revoked_token_is_refused(client, session):
    ada = make_user(session)
    secret = token_for(session, ada)
    (token,) = api_tokens.of(session, ada)
    api_tokens.revoke(session, ada, token.id)
    session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_a_token_past_its_last_day_is_refused(client, session, clock):
    ada = make_user(session)
    _token, secret = api_tokens.make(session, ada, "Phone", "read", TODAY, TODAY)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    clock.move_to(TODAY + timedelta(days=1, hours=12))
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_suspended_persons_token_is_refused(client, session):
    ada = make_user(session)
    secret = token_for(session, ada)
    ada.suspended_at = ada.created_at
    session.commit()
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_the_day_of_last_use_is_noted(api_as, session):
    ada = make_user(session)
    api_as(ada, scope="read").get("/api/v1/me")
    session.expire_all()
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == ada.id))
    assert token.last_used_on is not None


def test_a_session_does_not_authenticate_the_api(session, log_in):
    ada = make_user(session)
    response = log_in(ada).get("/api/v1/me")
    assert response.status_code == 401


def test_a_token_does_not_authenticate_a_page(client, session):
    ada = make_user(session)
    secret = token_for(session, ada)
    response = client.get("/settings", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_each_token_has_its_own_rate_limit(app, client, session):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    ada = make_user(session)
    first, second = token_for(session, ada), token_for(session, ada)
    for _ in range(3):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code
            == 200
        )
    limited = client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"})
    assert limited.status_code == 429
    assert limited.mimetype == PROBLEM
    assert "Retry-After" in limited.headers
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    )


def test_the_limit_counts_a_token_across_every_resource(app, client, session):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    bearer = {"Authorization": f"Bearer {token_for(session, make_user(session))}"}
    for path in ("/api/v1/me", "/api/v1/acts", "/api/v1/contacts"):
        assert client.get(path, headers=bearer).status_code == 200
    for path in ("/api/v1/inbox", "/api/v1/teams", "/api/v1/me"):
        assert client.get(path, headers=bearer).status_code == 429


def test_made_up_tokens_count_against_the_address(app, client, session):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    answers = [
        client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer kind_made_up_{number}"}
        ).status_code
        for number in range(5)
    ]
    assert answers == [401, 401, 401, 429, 429]
    # A real token has its own count, whatever the address sent.
    real = token_for(session, make_user(session))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {real}"}).status_code == 200


def test_unknown_paths_and_methods_answer_problems(api_as, session):
    client = api_as(make_user(session))
    missing = client.get("/api/v1/nothing-here")
    assert (missing.status_code, missing.mimetype) == (404, PROBLEM)
    wrong = client.delete("/api/v1/me")
    assert (wrong.status_code, wrong.mimetype) == (405, PROBLEM)


def test_answers_are_kept_by_no_cache(api_as, session):
    response = api_as(make_user(session)).get("/api/v1/me")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Authorization" in response.headers["Vary"]


def test_a_nul_character_in_a_body_is_refused(api_as, session):
    client = api_as(make_user(session))
    response = client.get(
        "/api/v1/me", data='{"what": "a\\u0000b"}', content_type="application/json"
    )
    assert (response.status_code, response.mimetype) == (400, PROBLEM)
    assert "NUL" in response.get_json()["detail"]


def test_options_names_the_methods_without_a_body(api_as, session):
    response = api_as(make_user(session), "read").options("/api/v1/acts")
    assert response.status_code == 204
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST", "OPTIONS"}
    assert "Content-Type" not in response.headers
    assert response.get_data() == b""
