"""Who may keep a copy of an answer: signed-in answers no one, anonymous pages
as before (``Vary: Cookie``), answers with their own ``Cache-Control`` theirs
(the chains' downloads the browser alone, asking again each time), static
files an hour."""

import pytest

from kindness.domain import calendar_feed
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

NO_STORE = "private, no-store"


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada", email="ada@example.org")


@pytest.fixture
def public_act(session, ada):
    return make_act(session, ada, TODAY, what="Carried the groceries", visibility="public")


@pytest.mark.parametrize("path", ["/", "/contacts", "/acts", "/settings", "/no/such/page"])
def test_signed_in_pages_are_kept_by_no_cache(ada, log_in, path):
    response = log_in(ada).get(path)
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == NO_STORE
    assert "Cookie" in response.vary


# The chains' downloads are kept by the browser alone and asked again each time:
# their ETag (the chain's version, the viewer's masking class, the language)
# answers 304 while nothing changed (tests/web/test_chain_exports.py).
DOWNLOADS = (".svg", ".json", ".graphml")


def test_signed_in_chain_downloads_are_kept_privately_and_asked_again(ada, public_act, log_in):
    client = log_in(ada)
    for form in DOWNLOADS:
        response = client.get(f"/chains/{public_act.ref}{form}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-cache", form
        assert response.get_etag()[0], form
        assert "Cookie" in response.vary


def test_a_team_csv_is_kept_by_no_cache(session, ada, log_in):
    team = membership.create(session, ada, name="Night Shift", description=None, is_public=False)
    week = weeks.schedule_week(session, team, ada, TODAY, TODAY)
    session.commit()
    response = log_in(ada).get(f"/teams/{team.slug}/weeks/{week.id}.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == NO_STORE


@pytest.mark.parametrize("path", ["/", "/explore", "/login", "/no/such/page"])
def test_anonymous_pages_keep_what_they_had(client, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    assert "Cache-Control" not in response.headers
    assert "Cookie" in response.vary


def test_anonymous_chain_downloads_are_kept_privately_and_asked_again(client, public_act):
    for form in DOWNLOADS:
        response = client.get(f"/chains/{public_act.ref}{form}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-cache", form


def test_the_calendar_feed_keeps_its_own_even_for_a_signed_in_visitor(session, ada, log_in):
    token = calendar_feed.make_link(session, ada)
    session.commit()
    response = log_in(ada).get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith("private, max-age=")


def test_a_link_preview_card_keeps_its_own_even_for_a_signed_in_visitor(ada, public_act, log_in):
    response = log_in(ada).get(f"/chains/{public_act.ref}/card.png")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("signed_in", [False, True])
def test_static_files_are_kept_for_an_hour(client, ada, log_in, signed_in):
    if signed_in:
        log_in(ada, client)
    response = client.get("/static/css/kindness.css")
    assert response.status_code == 200
    assert response.cache_control.max_age == 3600 and response.cache_control.public
    assert not response.cache_control.no_store and not response.cache_control.private
    response.close()
