"""Settings → API tokens: making a token shows its secret once, the list shows
its prefix, revoking stops it at the API, and nobody revokes another's token."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain import api_tokens
from kindness.models import ApiToken
from tests.clock import TODAY
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")

SECRET = re.compile(r'value="(kind_[A-Za-z0-9_-]{40,})"')


def count_tokens(session, user) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).where(ApiToken.user_id == user.id))


def make_token(client, **data):
    return client.post("/settings/tokens", data={"scope": "read", **data})


def test_settings_link_to_the_tokens_page(session, log_in):
    page = log_in(make_user(session)).get("/settings").get_data(as_text=True)
    assert 'href="/settings/tokens"' in page
    assert ">API tokens</h2>" in page


def test_the_tokens_page_needs_login(client):
    response = client.get("/settings/tokens")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_page_explains_the_api_with_a_curl_example(session, log_in):
    page = log_in(make_user(session)).get("/settings/tokens").get_data(as_text=True)
    assert 'href="/developers/api"' in page
    assert 'curl -H "Authorization: Bearer &lt;token&gt;" http://' in page
    assert "/api/v1/me</code>" in page
    assert "You have no tokens." in page


def test_a_token_is_shown_once_and_works_against_the_api(client, session, log_in):
    ada = make_user(session, display_name="Ada")
    browser = log_in(ada)
    made = make_token(browser, name="Phone shortcut", scope="read-write")
    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    page = made.get_data(as_text=True)
    assert "shown only this once" in page
    assert 'data-copy="token-secret"' in page
    assert "js/share.js" in page
    (secret,) = SECRET.findall(page)
    # Shown from the POST itself: nowhere in a URL, a cookie or the session.
    assert "Location" not in made.headers
    assert secret not in " ".join(made.headers.getlist("Set-Cookie"))
    with browser.session_transaction() as flask_session:
        assert secret not in repr(dict(flask_session))

    # Never again: the list shows its prefix, not the secret.
    listing = browser.get("/settings/tokens").get_data(as_text=True)
    assert secret not in listing
    assert "Phone shortcut" in listing
    assert f"{secret[: api_tokens.SHOWN]}…" in listing
    assert "Read and write" in listing
    assert "never used" in listing

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.get_json()["display_name"] == "Ada"
    assert "last used Nov 26, 2026" in browser.get("/settings/tokens").get_data(as_text=True)
    # Only its fingerprint is kept.
    session.expire_all()
    stored = session.scalar(select(ApiToken).where(ApiToken.user_id == ada.id))
    assert secret not in (stored.secret_hash, stored.prefix, stored.name)


def test_the_list_shows_scope_last_day_and_last_use(session, log_in, client):
    ada = make_user(session)
    _token, secret = api_tokens.make(
        session, ada, "School site", "read", TODAY + timedelta(days=30), TODAY
    )
    session.commit()
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    page = log_in(ada).get("/settings/tokens").get_data(as_text=True)
    assert "School site" in page
    assert "Read only" in page
    assert "last day Dec 26, 2026" in page
    assert "last used Nov 26, 2026" in page
    assert "made on Nov 26, 2026" in page
    assert secret not in page


def test_revoking_a_token_asks_first_then_the_api_refuses_it(client, session, log_in):
    ada = make_user(session)
    token, secret = api_tokens.make(session, ada, "Bot", "read", None, TODAY)
    session.commit()
    browser = log_in(ada)
    question = browser.get(f"/settings/tokens/{token.id}/revoke")
    assert question.status_code == 200
    assert "Revoke “Bot”?" in question.get_data(as_text=True)
    assert count_tokens(session, ada) == 1  # asking changes nothing

    done = browser.post(f"/settings/tokens/{token.id}/revoke")
    assert done.status_code == 302
    assert done.headers["Location"] == "/settings/tokens"
    assert count_tokens(session, ada) == 0
    assert "The token is revoked" in browser.get("/settings/tokens").get_data(as_text=True)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 401


def test_another_persons_token_cannot_be_revoked(client, session, log_in):
    ada, ben = make_user(session), make_user(session)
    token, secret = api_tokens.make(session, ada, "Ada's bot", "read", None, TODAY)
    session.commit()
    nosy = log_in(ben)
    assert nosy.get(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert nosy.post(f"/settings/tokens/{token.id}/revoke").status_code == 404
    assert nosy.post("/settings/tokens/999999/revoke").status_code == 404
    assert "Ada's bot" not in nosy.get("/settings/tokens").get_data(as_text=True)
    assert count_tokens(session, ada) == 1
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"name": ""}, 422, "Please give the token a name."),
        ({"name": "   "}, 422, "Please give the token a name."),
        ({"name": "x" * 61}, 422, "Use at most 60 characters."),
        ({"name": "Bot", "scope": "admin"}, 422, "Choose what the token may do."),
        ({"name": "Bot", "scope": ""}, 422, "Choose what the token may do."),
        ({"name": "Bot", "expires_on": "2026-11-25"}, 422, "Choose a day from today on, or none."),
        ({"name": "Bot", "expires_on": "someday"}, 422, "Not a valid date value."),
    ],
)
def test_bad_input_shows_on_the_form_and_changes_nothing(session, log_in, data, status, message):
    ada = make_user(session)
    response = make_token(log_in(ada), **data)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert message in page
    assert "kind_" not in page
    assert count_tokens(session, ada) == 0


def test_a_token_may_last_until_today(session, log_in):
    ada = make_user(session)
    response = make_token(log_in(ada), name="Bot", expires_on=TODAY.isoformat())
    assert response.status_code == 200
    assert count_tokens(session, ada) == 1


def test_too_many_tokens_are_refused(session, log_in):
    ada = make_user(session)
    for number in range(api_tokens.TOKENS_MAX):
        api_tokens.make(session, ada, f"Token {number}", "read", None, TODAY)
    session.commit()
    response = make_token(log_in(ada), name="One more")
    assert response.status_code == 409
    assert "revoke one first" in response.get_data(as_text=True)
    assert count_tokens(session, ada) == api_tokens.TOKENS_MAX


def test_the_pages_speak_german(session, log_in):
    ada = make_user(session)
    ada.locale = "de"
    session.commit()
    browser = log_in(ada)
    assert "API-Tokens" in browser.get("/settings/tokens").get_data(as_text=True)
    made = make_token(browser, name="Handy").get_data(as_text=True)
    assert "nur dieses eine Mal" in made
