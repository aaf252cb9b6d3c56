"""The landing, log-in and sign-up pages rendered once per language
(kindness/web/shared_pages.py): each visitor still gets their own CSRF token, the
language they asked for, what a signed-in person sees, and any flashed message."""

import re

import pytest

from kindness.web.shared_pages import EXTENSION
from tests.factories import make_user

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAGES = ("/", "/login", "/signup")


def tokens(page: str) -> set[str]:
    return set(TOKEN.findall(page))


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.mark.parametrize("path", PAGES)
def test_each_visitor_gets_their_own_token_that_the_site_accepts(csrf_on, path):
    app = csrf_on
    placeholder = app.extensions[EXTENSION].placeholder
    first, second = app.test_client(), app.test_client()
    first_page = first.get(path).get_data(as_text=True)
    second_page = second.get(path).get_data(as_text=True)
    assert app.extensions[EXTENSION].texts, "the page was kept"
    assert placeholder not in first_page + second_page
    (first_token,), (second_token,) = tokens(first_page), tokens(second_page)
    assert first_token != second_token
    # The second visitor's page came from the kept copy; its token is theirs alone.
    assert (
        second.post("/language", data={"locale": "de", "csrf_token": first_token}).status_code
        == 400
    )
    answer = second.post("/language", data={"locale": "de", "csrf_token": second_token})
    assert answer.status_code == 302


@pytest.mark.parametrize("path", PAGES)
def test_a_language_switch_shows_at_once(client, path):
    assert 'lang="en"' in client.get(path).get_data(as_text=True)
    client.post("/language", data={"locale": "de"})
    assert '<html lang="de">' in client.get(path).get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert '<html lang="en">' in client.get(path).get_data(as_text=True)


def test_the_browsers_language_chooses_the_copy(app):
    english = app.test_client().get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    german = app.test_client().get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en">' in english
    assert '<html lang="de">' in german
    assert "Woche" in german and "Woche" not in english
    for language in ("de", "en"):
        signup = app.test_client().get("/signup", headers={"Accept-Language": language})
        preselected = re.findall(r'<option lang="(\w+)" selected', signup.get_data(as_text=True))
        assert preselected == [language]


def test_a_signed_in_person_never_gets_the_anonymous_copy(app, session, log_in):
    anonymous = app.test_client()
    assert "Start your week" in anonymous.get("/").get_data(as_text=True)
    person = make_user(session, display_name="Priya Shared")
    client = log_in(person)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Start your week" not in dashboard
    assert client.get("/login").status_code == 302
    assert client.get("/signup").status_code == 302
    assert "Start your week" in anonymous.get("/").get_data(as_text=True)


def test_a_flashed_message_shows_once_then_the_plain_page(app, session, log_in):
    client = log_in(make_user(session))
    app.test_client().get("/")  # the landing page is kept
    client.post("/logout")
    after = client.get("/").get_data(as_text=True)
    assert "You are logged out." in after
    assert "You are logged out." not in client.get("/").get_data(as_text=True)


def test_a_query_string_renders_the_page_for_it(app):
    app.test_client().get("/login")  # kept without a next
    page = app.test_client().get("/login?next=/acts").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/acts"' in page
    assert 'value="/login?next=/acts"' in page  # the footer's way back
    plain = app.test_client().get("/login").get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in plain
