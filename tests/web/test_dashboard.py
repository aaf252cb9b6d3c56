"""The dashboard: quick log, idea, strip, heatmap, totals, and its query count."""

import re
from datetime import timedelta

import pytest

from kindness.domain import ideas
from tests.clock import TODAY
from tests.factories import make_acts, make_challenge, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def ada(client, session, log_in):
    user = make_user(session, email="ada@example.org", display_name="Ada")
    log_in(user, client)
    return user


def test_empty_dashboard_invites_to_start(client, ada):
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Ada" in page
    assert "Start a week" in page
    assert 'name="what"' in page


def test_log_from_dashboard_and_see_strip_heatmap_and_history_change(client, session, ada):
    make_challenge(session, ada, TODAY)
    before = client.get("/").get_data(as_text=True)
    assert "0 of 7 days" in before
    response = client.post(
        "/acts/new", data={"what": "Shared my umbrella", "new_contact_name": "Lena", "next": "/"}
    )
    assert response.headers["Location"].startswith("/#act-")
    after = client.get("/").get_data(as_text=True)
    assert "1 of 7 days" in after
    assert f'data-date="{TODAY.isoformat()}" data-count="1"' in after
    assert "Shared my umbrella" in client.get("/acts").get_data(as_text=True)


def test_idea_prefills_the_log_form(client, ada):
    page = client.get("/?idea=1").get_data(as_text=True)
    number = int(re.search(r"/acts/new\?idea=(\d+)", page).group(1))
    idea = ideas.by_number(number)
    assert idea.text_en.replace("'", "&#39;") in page
    form = client.get(f"/acts/new?idea={number}").get_data(as_text=True)
    assert idea.text_en.replace("'", "&#39;") in form
    assert f'<option selected value="{idea.category}">' in form


def test_idea_in_german_for_german_users(session, log_in):
    client = log_in(make_user(session, locale="de"))
    form = client.get("/acts/new?idea=0").get_data(as_text=True)
    assert ideas.by_number(0).text_de.replace("'", "&#39;") in form


def test_unknown_idea_number_just_gives_an_empty_form(client, ada):
    assert client.get("/acts/new?idea=99999").status_code == 200
    assert client.get("/acts/new?idea=abc").status_code == 200


def test_totals(client, session, ada):
    grete = make_contact(session, ada, "Grete")
    make_acts(session, ada, [TODAY, TODAY, TODAY - timedelta(days=1)], contacts=[grete])
    make_acts(session, ada, [TODAY - timedelta(days=40)])
    page = client.get("/").get_data(as_text=True)
    assert "<strong>4</strong> acts" in page
    assert "<strong>3</strong> days with an act" in page
    # Grete, plus one unnamed person.
    assert "<strong>2</strong> people helped" in page


def test_dashboard_issues_the_same_queries_for_5_and_500_acts(client, session, ada, count_queries):
    make_challenge(session, ada, TODAY - timedelta(days=2), today=TODAY - timedelta(days=2))
    friends = [make_contact(session, ada, f"Friend {n}") for n in range(5)]
    make_acts(session, ada, [TODAY - timedelta(days=n) for n in range(5)], friends)
    with count_queries() as few:
        assert client.get("/?idea=1").status_code == 200
    make_acts(session, ada, [TODAY - timedelta(days=n % 360) for n in range(495)], friends)
    with count_queries() as many:
        assert client.get("/?idea=1").status_code == 200
    assert few.count == many.count
