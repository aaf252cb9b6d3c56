"""Sign-up, log-in, log-out and the account rules."""

import pytest
from sqlalchemy import select

from kindness.domain import accounts
from kindness.domain.errors import EmailTaken, InvalidCredentials, WeakPassword
from kindness.domain.passwords import Passwords
from kindness.models import User
from tests.factories import PASSWORD, make_user


def get_user(session, email):
    session.expire_all()
    return session.scalar(select(User).where(User.email == email))


def test_signup_creates_account_and_logs_in(client, auth, session):
    response = auth.signup(email="Ada@Example.org", display_name="  Ada  ")
    assert response.status_code == 302
    user = get_user(session, "ada@example.org")
    assert user is not None
    assert user.display_name == "Ada"
    assert user.time_zone == "Europe/Berlin"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    page = client.get("/")
    assert "Hello, Ada" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "Invalid email address"),
        ({"email": ""}, "This field is required"),
        ({"display_name": ""}, "This field is required"),
        ({"display_name": "x" * 51}, "Field must be between 1 and 50 characters long"),
        ({"password": "short pw"}, "Use between 10 and 256 characters"),
        ({"password": "1234567890"}, "most common"),
        ({"password": "Password123"}, "most common"),
        ({"time_zone": "Mars/Olympus_Mons"}, "Not a valid choice"),
        ({"locale": "fr"}, "Not a valid choice"),
    ],
)
def test_signup_validation_errors_change_nothing(client, auth, session, fields, message):
    response = auth.signup(**fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalar(select(User).where(User.display_name == "Ada")) is None
    assert session.scalars(select(User)).all() == []


def test_signup_refuses_duplicate_email_in_other_case(auth, session):
    make_user(session, email="ada@example.org")
    response = auth.signup(email="ADA@EXAMPLE.ORG", display_name="Other Ada")
    assert response.status_code == 409
    assert "already exists" in response.get_data(as_text=True)
    assert len(session.scalars(select(User)).all()) == 1


def test_long_unicode_passwords_are_accepted(client, auth, session):
    password = "Grüße aus Köln 🌷, 東京からこんにちは, Привет! " * 2
    assert len(password) > 64
    assert auth.signup(password=password).status_code == 302
    auth.logout()
    assert auth.login(password=password).status_code == 302


def test_login_with_wrong_password_is_refused(client, auth, session):
    make_user(session, email="ada@example.org")
    response = auth.login(password="not the right one")
    assert response.status_code == 422
    assert "Email or password is wrong" in response.get_data(as_text=True)
    assert "Hello" not in client.get("/").get_data(as_text=True)


def test_login_unknown_email_gives_the_same_message(auth):
    response = auth.login(email="nobody@example.org")
    assert "Email or password is wrong" in response.get_data(as_text=True)


def test_login_is_case_insensitive_and_follows_local_next(client, auth, session):
    make_user(session, email="ada@example.org", display_name="Ada")
    response = auth.login(email="ADA@example.org", next="/settings")
    assert response.status_code == 302
    assert response.headers["Location"] == "/settings"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\tevil",
        "http:/evil.example",
    ],
)
def test_login_does_not_follow_foreign_next(auth, session, target):
    make_user(session, email="ada@example.org")
    response = auth.login(next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_signup_does_not_follow_foreign_next(auth):
    response = auth.signup(next="//evil.example/x")
    assert response.headers["Location"] == "/"


def test_logout_requires_post(client, auth, session):
    make_user(session, email="ada@example.org")
    auth.login()
    assert client.get("/logout").status_code == 405
    assert "Hello" in client.get("/").get_data(as_text=True)


def test_session_cookie_saved_before_logout_stops_working(app, auth, session):
    make_user(session, email="ada@example.org", display_name="Ada")
    auth.login()
    saved = auth.client.get_cookie("session").value
    auth.logout()
    other = app.test_client()
    other.set_cookie("session", saved)
    page = other.get("/")
    assert "Hello, Ada" not in page.get_data(as_text=True)
    assert other.get("/settings").status_code == 302


def test_logout_ends_sessions_on_other_devices(session, log_in):
    ada = make_user(session, email="ada@example.org", display_name="Ada")
    phone, laptop = log_in(ada), log_in(ada)
    for device in (phone, laptop):
        assert device.get("/settings").status_code == 200
    phone.post("/logout")
    assert laptop.get("/settings").status_code == 302


def test_remember_me_cookie_is_set_deliberately_and_logs_in(app, client, auth, session):
    make_user(session, email="ada@example.org", display_name="Ada")
    response = auth.login(remember="y")
    cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if "remember_token=" in header
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    remembered = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert "Hello, Ada" in fresh.get("/").get_data(as_text=True)


def test_remember_me_cookie_stops_working_after_logout(app, client, auth, session):
    make_user(session, email="ada@example.org", display_name="Ada")
    auth.login(remember="y")
    remembered = client.get_cookie("remember_token").value
    auth.logout()
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert "Hello, Ada" not in fresh.get("/").get_data(as_text=True)


def test_no_remember_cookie_without_the_box(client, auth, session):
    make_user(session, email="ada@example.org")
    auth.login()
    assert client.get_cookie("remember_token") is None


def test_cookies_are_secure_when_configured_for_https(database):
    from kindness import create_app
    from tests.conftest import TEST_CONFIG

    app = create_app({**TEST_CONFIG, "DATABASE_URL": database.url, "HTTPS": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    app.extensions["kindness.db"].engine.dispose()


def test_login_clears_the_session_before_starting(client, auth, session):
    make_user(session, email="ada@example.org")
    with client.session_transaction() as flask_session:
        flask_session["planted"] = "by an attacker"
    auth.login()
    with client.session_transaction() as flask_session:
        assert "planted" not in flask_session


def test_outdated_hash_is_upgraded_at_login(app, auth, session):
    weak = Passwords(time_cost=1, memory_cost=8, parallelism=1)
    user = make_user(session, email="ada@example.org", hasher=weak)
    app.extensions["kindness.passwords"] = Passwords(time_cost=2, memory_cost=1024, parallelism=1)
    assert auth.login().status_code == 302
    session.expire_all()
    assert "m=1024,t=2,p=1" in session.get(User, user.id).password_hash


def test_production_hash_parameters_meet_owasp(app):
    from kindness.config import default_settings

    settings = default_settings("/tmp")
    assert settings["ARGON2_MEMORY_COST"] >= 19 * 1024
    assert settings["ARGON2_TIME_COST"] >= 2
    hasher = Passwords.from_config(settings)
    assert hasher.hash("a quiet morning walk").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_domain_sign_up_rules(session):
    hasher = Passwords(time_cost=1, memory_cost=8, parallelism=1)
    make_user(session, email="taken@example.org")
    with pytest.raises(EmailTaken):
        accounts.sign_up(
            session,
            hasher,
            email=" Taken@Example.org ",
            display_name="X",
            password="a quiet morning walk",
            time_zone="UTC",
            locale="en",
        )
    with pytest.raises(WeakPassword):
        accounts.check_password_rules("qwertyuiop")
    with pytest.raises(InvalidCredentials):
        accounts.authenticate(
            session,
            hasher,
            "taken@example.org",
            "wrong password!",
            moderation_contact="moderators@example.org",
        )


def test_login_id_with_rotated_token_finds_nobody(session):
    user = make_user(session)
    login_id = user.get_id()
    assert accounts.find_by_login_id(session, login_id) is user
    accounts.revoke_sessions(session, user)
    assert accounts.find_by_login_id(session, login_id) is None
    assert accounts.find_by_login_id(session, "garbage") is None
    assert accounts.find_by_login_id(session, "999999:token") is None
