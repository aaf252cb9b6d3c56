"""/api/v1/me: read and change one's profile and preferences through the
functions of the Settings pages; only what is sent changes, and a refused
field changes nothing at all."""

import pytest

from kindness.models import User
from tests.factories import make_user

PROBLEM = "application/problem+json"


def reload(session, user) -> User:
    session.expire_all()
    return session.get_one(User, user.id)


def preferences(user: User) -> dict:
    return {
        "display_name": user.display_name,
        "time_zone": user.time_zone,
        "locale": user.locale,
        "profile_public": user.profile_public,
        "profile_name": user.profile_name,
        "notify_claimed": user.notify_claimed,
        "notify_travelled": user.notify_travelled,
        "notify_team_week": user.notify_team_week,
        "notify_week_ends": user.notify_week_ends,
        "daily_idea": user.daily_idea,
        "mail_hour": user.mail_hour,
    }


def test_every_preference_changes_at_once(api_as, session):
    ada = make_user(session, display_name="Ada")
    sent = {
        "display_name": "  Countess  ",
        "time_zone": "America/New_York",
        "language": "de",
        "profile_public": True,
        "profile_name": "Lovelace",
        "notify_claimed": False,
        "notify_travelled": "daily",
        "notify_team_week": False,
        "notify_week_ends": True,
        "daily_idea": True,
        "mail_hour": 19,
    }
    response = api_as(ada).patch("/api/v1/me", json=sent)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["display_name"] == "Countess"
    assert answer["profile_name"] == "lovelace"
    assert answer["language"] == "de"
    assert preferences(reload(session, ada)) == {
        "display_name": "Countess",
        "time_zone": "America/New_York",
        "locale": "de",
        "profile_public": True,
        "profile_name": "lovelace",
        "notify_claimed": False,
        "notify_travelled": "daily",
        "notify_team_week": False,
        "notify_week_ends": True,
        "daily_idea": True,
        "mail_hour": 19,
    }


def test_only_the_fields_sent_change(api_as, session):
    ada = make_user(session, display_name="Ada")
    before = preferences(ada)
    response = api_as(ada).patch("/api/v1/me", json={"mail_hour": 6})
    assert response.status_code == 200
    assert response.get_json()["mail_hour"] == 6
    assert preferences(reload(session, ada)) == {**before, "mail_hour": 6}


def test_an_empty_change_changes_nothing(api_as, session):
    ada = make_user(session, display_name="Ada")
    before = preferences(ada)
    response = api_as(ada).patch("/api/v1/me", json={})
    assert response.status_code == 200
    assert preferences(reload(session, ada)) == before


def test_the_public_profile_goes_off_and_keeps_its_name(api_as, session):
    ada = make_user(session)
    client = api_as(ada)
    assert (
        client.patch("/api/v1/me", json={"profile_public": True, "profile_name": "ada"}).status_code
        == 200
    )
    response = client.patch("/api/v1/me", json={"profile_public": False})
    assert response.status_code == 200
    user = reload(session, ada)
    assert (user.profile_public, user.profile_name) == (False, "ada")


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        # The schema refuses these before the domain is asked.
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 51}, "display_name"),
        ({"language": "xx"}, "language"),
        ({"mail_hour": 24}, "mail_hour"),
        ({"mail_hour": "8"}, "mail_hour"),
        ({"mail_hour": 8.5}, "mail_hour"),
        ({"daily_idea": "yes"}, "daily_idea"),
        ({"notify_claimed": 1}, "notify_claimed"),
        ({"notify_travelled": "hourly"}, "notify_travelled"),
        ({"profile_name": "x" * 41}, "profile_name"),
        ({"time_zone": 5}, "time_zone"),
        ({"email": "new@example.org"}, "email"),
        ({"password": "a new password of mine"}, "password"),
        # The domain refuses these: the rules the Settings forms use too.
        ({"display_name": "   "}, "display_name"),
        ({"time_zone": "Nowhere/Land"}, "time_zone"),
        ({"time_zone": "Etc/GMT+5"}, "time_zone"),
        ({"profile_name": "no spaces here"}, "profile_name"),
        ({"profile_public": True}, "profile_name"),
    ],
)
def test_a_refused_field_changes_nothing(api_as, session, sent, field):
    ada = make_user(session, display_name="Ada")
    before = preferences(ada)
    # A good change sent with the bad one is not kept either.
    response = api_as(ada).patch("/api/v1/me", json={"mail_hour": 5, **sent})
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"] == "/developers/api#problem-invalid-input"
    assert field in problem["errors"]["json"]
    assert preferences(reload(session, ada)) == before


def test_a_profile_name_taken_by_someone_else_is_a_conflict(api_as, session):
    make_user(session).profile_name = "taken"
    session.commit()
    ada = make_user(session)
    before = preferences(ada)
    response = api_as(ada).patch(
        "/api/v1/me", json={"display_name": "Ada", "profile_public": True, "profile_name": "taken"}
    )
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["type"] == "/developers/api#problem-conflict"
    assert "profile_name" in problem["errors"]["json"]
    assert preferences(reload(session, ada)) == before


@pytest.mark.parametrize("body", ["[]", '"Ada"', "null", "{", "not json"])
def test_a_body_that_is_no_object_is_refused(api_as, session, body):
    ada = make_user(session, display_name="Ada")
    response = api_as(ada).patch("/api/v1/me", data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM
    assert reload(session, ada).display_name == "Ada"


def test_a_change_without_a_body_is_422_and_changes_nothing(api_as, session):
    ada = make_user(session, display_name="Ada")
    before = preferences(ada)
    response = api_as(ada).patch("/api/v1/me")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert preferences(reload(session, ada)) == before
