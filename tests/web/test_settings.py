"""The settings page: profile, email, password."""

from sqlalchemy import select

from kindness.models import User
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "seven days of small favours"


def reload(session, user):
    session.expire_all()
    return session.get(User, user.id)


def test_settings_page_shows_each_section_once_and_a_plain_title(client, session, log_in):
    log_in(make_user(session), client)
    page = client.get("/settings").get_data(as_text=True)
    assert "<title>Settings · Kindness</title>" in page
    for heading in ("Profile", "Email", "Password", "Public profile", "Delete your account"):
        assert page.count(f">{heading}</h2>") == 1, heading


def test_settings_need_login(client):
    response = client.get("/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_change_profile(client, session, log_in):
    user = make_user(session, display_name="Ada")
    log_in(user, client)
    response = client.post(
        "/settings/profile",
        data={"display_name": "Countess", "time_zone": "America/New_York", "locale": "de"},
    )
    assert response.status_code == 302
    user = reload(session, user)
    assert (user.display_name, user.time_zone, user.locale) == (
        "Countess",
        "America/New_York",
        "de",
    )
    assert "Einstellungen" in client.get("/settings").get_data(as_text=True)


def test_profile_errors_change_nothing(client, session, log_in):
    user = make_user(session, display_name="Ada")
    log_in(user, client)
    for data, message in [
        ({"display_name": "", "time_zone": "UTC", "locale": "en"}, "This field is required"),
        ({"display_name": "B", "time_zone": "Nowhere/Land", "locale": "en"}, "Not a valid"),
        ({"display_name": "B", "time_zone": "UTC", "locale": "xx"}, "Not a valid"),
    ]:
        response = client.post("/settings/profile", data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert reload(session, user).display_name == "Ada"


def test_change_email_needs_current_password_and_a_free_address(client, session, log_in):
    make_user(session, email="taken@example.org")
    user = make_user(session, email="ada@example.org")
    log_in(user, client)
    wrong = client.post("/settings/email", data={"email": "new@example.org", "password": "nope"})
    assert "current password is not right" in wrong.get_data(as_text=True)
    taken = client.post(
        "/settings/email", data={"email": "TAKEN@example.org", "password": PASSWORD}
    )
    assert "already exists" in taken.get_data(as_text=True)
    invalid = client.post("/settings/email", data={"email": "no-at-sign", "password": PASSWORD})
    assert "Invalid email address" in invalid.get_data(as_text=True)
    assert reload(session, user).email == "ada@example.org"
    ok = client.post("/settings/email", data={"email": "New@Example.org", "password": PASSWORD})
    assert ok.status_code == 302
    # The new address waits for its link; the old one stays the login until then.
    user = reload(session, user)
    assert (user.email, user.pending_email) == ("ada@example.org", "new@example.org")


def test_change_password_checks_current_and_rules(client, session, log_in):
    user = make_user(session)
    log_in(user, client)
    before = reload(session, user).password_hash
    cases = [
        ({"current_password": "wrong", "new_password": NEW_PASSWORD}, "not right"),
        ({"current_password": PASSWORD, "new_password": "short"}, "Use between 10"),
        ({"current_password": PASSWORD, "new_password": "iloveyou123"}, "most common"),
    ]
    for data, message in cases:
        data["confirm"] = data["new_password"]
        response = client.post("/settings/password", data=data)
        assert message in response.get_data(as_text=True)
    differ = client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": "other"},
    )
    assert "passwords differ" in differ.get_data(as_text=True)
    assert reload(session, user).password_hash == before


def test_change_password_signs_out_other_devices_but_not_this_one(client, auth, session, log_in):
    user = make_user(session)
    log_in(user, client)
    other = log_in(user)
    assert other.get("/settings").status_code == 200
    response = client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/settings").status_code == 200
    assert other.get("/settings").status_code == 302
    auth.logout()
    assert auth.login(email=user.email, password=NEW_PASSWORD).status_code == 302


def test_display_name_is_escaped(session, log_in):
    client = log_in(make_user(session, display_name="<script>alert(1)</script>"))
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_no_user_rows_leak_between_tests(session):
    # Every test runs in a transaction rolled back at its end.
    assert session.scalars(select(User)).all() == []
