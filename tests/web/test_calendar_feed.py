"""The private calendar feed (/calendar/<token>.ics) and Settings → Calendar."""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from sqlalchemy import select

from kindness.domain import acts, calendar_feed, challenges, ideas
from kindness.domain.acts import ActInput
from kindness.domain.teams import membership, weeks
from kindness.models import User
from tests.clock import TODAY
from tests.factories import make_challenge, make_user

pytestmark = pytest.mark.usefixtures("clock")


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


@pytest.fixture
def ada(session):
    return make_user(session, email="ada@example.org", display_name="Ada")


@pytest.fixture
def night_shift(session, ada):
    """A team Ada belongs to (Bea owns it)."""
    bea = make_user(session, display_name="Bea")
    team = membership.create(session, bea, name="Night Shift", description=None, is_public=False)
    membership.join(session, team.invite_code, ada, TODAY)
    session.commit()
    return team, bea


def schedule(session, team, owner, starts_on: date) -> None:
    weeks.schedule_week(session, team, owner, starts_on, TODAY)
    session.commit()


def link_of(session, user) -> str:
    token = calendar_feed.make_link(session, user)
    session.commit()
    return f"/calendar/{token}.ics"


def events(response) -> list:
    assert response.status_code == 200
    return list(Calendar.from_ical(response.get_data()).walk("VEVENT"))


def dates_of(found) -> list[date]:
    return [event.decoded("dtstart") for event in found]


def idea_in(event) -> int:
    (number,) = parse_qs(urlsplit(str(event["url"])).query)["idea"]
    return int(number)


def test_one_all_day_entry_per_date_of_the_person_s_weeks(client, session, ada, night_shift):
    team, bea = night_shift
    make_challenge(session, ada, TODAY)
    schedule(session, team, bea, day(4))
    response = client.get(link_of(session, ada))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert re.fullmatch(r"private, max-age=\d+", response.headers["Cache-Control"])
    assert "Set-Cookie" not in response.headers
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//Kindness//")
    assert str(calendar["x-wr-calname"]) == "Kindness weeks"
    assert str(calendar["x-published-ttl"]) == "PT6H"
    assert calendar["refresh-interval"].params["VALUE"] == "DURATION"
    found = events(response)
    # The personal week (days 0 to 6) and the team's (4 to 10): one entry per date.
    assert dates_of(found) == [day(n) for n in range(11)]
    for event in found:
        assert event["dtstart"].params["VALUE"] == "DATE"
        assert event["dtend"].params["VALUE"] == "DATE"
        assert event.decoded("dtend") == event.decoded("dtstart") + timedelta(days=1)
    summaries = [str(event["summary"]) for event in found]
    idea = ideas.by_number(idea_in(found[0])).text_en
    assert summaries[0] == f"Kindness week, day 1 of 7: {idea}"
    assert summaries[4].startswith(
        "Kindness week, day 5 of 7 · Team week of Night Shift, day 1 of 7: "
    )
    assert summaries[10].startswith("Team week of Night Shift, day 7 of 7: ")
    description = str(found[4]["description"])
    number = idea_in(found[4])
    assert ideas.by_number(number).text_en in description
    assert f"Log this: http://127.0.0.1:5000/acts/new?idea={number}" in description
    assert "Night Shift" in description and "Kindness week, day 5 of 7" in description


def test_nothing_outside_the_person_s_weeks(client, session, ada, night_shift):
    team, bea = night_shift
    # Long ago, partly in the window (33 days back to 27), given up, far ahead.
    make_challenge(session, ada, day(-60), today=day(-60))
    make_challenge(session, ada, day(-33), today=day(-33))
    given_up = make_challenge(session, ada, day(2), today=TODAY)
    challenges.abandon(session, ada, given_up.id, TODAY)
    session.commit()
    make_challenge(session, ada, day(200), today=day(200))
    other = membership.create(session, bea, name="Book Club", description=None, is_public=False)
    session.commit()
    schedule(session, other, bea, day(1))
    schedule(session, team, bea, day(90))
    found = events(client.get(link_of(session, ada)))
    assert dates_of(found) == [day(n) for n in range(-30, -26)] + [day(n) for n in range(90, 97)]
    assert str(found[0]["summary"]).startswith("Kindness week, day 4 of 7: ")
    assert not any("Book Club" in str(event["summary"]) for event in found)


def test_a_person_without_weeks_gets_an_empty_calendar(client, session, ada):
    response = client.get(link_of(session, ada))
    assert events(response) == []
    assert Calendar.from_ical(response.get_data()).name == "VCALENDAR"


def test_in_the_person_s_language(client, session, night_shift):
    team, bea = night_shift
    ute = make_user(session, locale="de")
    membership.join(session, team.invite_code, ute, TODAY)
    make_challenge(session, ute, day(-2), today=day(-2))
    schedule(session, team, bea, day(3))
    response = client.get(link_of(session, ute), headers={"Accept-Language": "en"})
    calendar = Calendar.from_ical(response.get_data())
    assert str(calendar["x-wr-calname"]) == "Kindness-Wochen"
    found = events(response)
    first, overlap = found[0], found[5]
    idea = ideas.by_number(idea_in(first)).text_de
    assert str(first["summary"]) == f"Kindness-Woche, Tag 1 von 7: {idea}"
    assert str(overlap["summary"]).startswith(
        "Kindness-Woche, Tag 6 von 7 · Teamwoche von Night Shift, Tag 1 von 7: "
    )
    assert "Festhalten: http://127.0.0.1:5000/acts/new?idea=" in str(first["description"])


def test_two_fetches_are_the_same_bytes_and_uids_stay(client, session, clock, ada, night_shift):
    team, bea = night_shift
    make_challenge(session, ada, TODAY)
    schedule(session, team, bea, day(3))
    link = link_of(session, ada)
    first = client.get(link)
    clock.move_to(datetime(2026, 11, 26, 20, tzinfo=UTC))  # later the same day in Berlin
    second = client.get(link)
    assert first.get_data() == second.get_data()
    assert client.get(link, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    uids = [str(event["uid"]) for event in events(first)]
    assert len(set(uids)) == len(uids) == 10
    # A new link is the same feed: its entries keep their UIDs, so apps do not duplicate them.
    again = [str(event["uid"]) for event in events(client.get(link_of(session, ada)))]
    assert again == uids


def test_uids_name_the_feed_without_the_person_s_id(app, client, session, ada, night_shift):
    team, bea = night_shift
    schedule(session, team, bea, TODAY)
    mine = {str(event["uid"]) for event in events(client.get(link_of(session, ada)))}
    theirs = {str(event["uid"]) for event in events(client.get(link_of(session, bea)))}
    assert not mine & theirs
    for uid in mine:
        assert re.fullmatch(r"[0-9a-f]{24}-\d{8}@127\.0\.0\.1", uid), uid
    # The part naming the feed is keyed with the app's secret, not the id itself.
    app.config["SECRET_KEY"] = "another-secret-key"
    other_key = {str(event["uid"]) for event in events(client.get(link_of(session, ada)))}
    assert not mine & other_key


def test_never_an_idea_the_person_logged_from(client, session, ada):
    make_challenge(session, ada, TODAY)
    link = link_of(session, ada)
    before = [idea_in(event) for event in events(client.get(link))]
    for number in before[:3]:
        acts.log(session, ada, ActInput(what="From the calendar"), TODAY, idea_number=number)
    session.commit()
    found = events(client.get(link))
    logged = ideas.logged_from(session, ada.id)
    assert logged == set(before[:3])
    after = [idea_in(event) for event in found]
    assert not set(after) & logged
    # The same idea the daily mail sends that day.
    assert after == [ideas.number_of_the_day(ada.id, d, logged) for d in dates_of(found)]


def not_found_page(client, path: str):
    """The 404 page, with the path it names (its language switch returns there) left out."""
    response = client.get(path)
    assert response.status_code == 404, path
    return response.get_data(as_text=True).replace(path, "<path>")


def test_replaced_stopped_and_guessed_links_are_all_plain_404s(client, session, ada):
    make_challenge(session, ada, TODAY)
    old = link_of(session, ada)
    new = link_of(session, ada)
    assert client.get(new).status_code == 200
    nothing = not_found_page(client, "/no/such/page")
    guessed = "/calendar/" + "A" * 43 + ".ics"
    assert not_found_page(client, old) == not_found_page(client, guessed) == nothing
    calendar_feed.stop(session, ada)
    session.commit()
    assert not_found_page(client, new) == nothing
    for path in (
        "/calendar/.ics",
        "/calendar/short.ics",
        "/calendar/" + "a" * 65 + ".ics",
        "/calendar/" + "ä" * 43 + ".ics",
        "/calendar/" + "a" * 42 + "%27.ics",
        "/calendar/" + "a" * 43,
        "/calendar/" + "a" * 43 + ".ics.ics",
        "/calendar/" + "a" * 5000 + ".ics",
    ):
        assert "There is nothing here." in not_found_page(client, path)


def test_a_suspended_person_s_feed_is_gone(client, session, ada):
    link = link_of(session, ada)
    assert client.get(link).status_code == 200
    ada.suspended_at = datetime.now(UTC)
    session.commit()
    assert client.get(link).status_code == 404


def test_the_feed_needs_the_same_few_queries_for_many_weeks(
    client, session, ada, night_shift, count_queries
):
    team, bea = night_shift
    make_challenge(session, ada, TODAY)
    link = link_of(session, ada)
    with count_queries() as few:
        assert len(events(client.get(link))) == 7
    for start in range(10, 90, 10):
        schedule(session, team, bea, day(start))
    for name in ("Book Club", "Choir"):
        other = membership.create(session, bea, name=name, description=None, is_public=False)
        membership.join(session, other.invite_code, ada, TODAY)
        session.commit()
        schedule(session, other, bea, day(2))
    with count_queries() as many:
        assert len(events(client.get(link))) > 60
    # The owner of the link, the person's weeks and their teams' weeks, their ideas.
    assert few.count == many.count == 4


# Settings → Calendar


def token_of(session, user) -> str | None:
    session.expire_all()
    return session.scalar(select(User.calendar_token).where(User.id == user.id))


def test_create_copy_replace_and_stop_the_link(client, session, ada, log_in):
    log_in(ada, client)
    settings = client.get("/settings").get_data(as_text=True)
    assert 'href="/settings/calendar"' in settings
    page = client.get("/settings/calendar").get_data(as_text=True)
    assert "Create my calendar link" in page and "calendar-link" not in page
    assert "anyone who has it sees the dates of your weeks" in page
    created = client.post("/settings/calendar/link")
    assert created.headers["Location"] == "/settings/calendar"
    token = token_of(session, ada)
    assert token is not None and len(token) == 43
    page = client.get("/settings/calendar").get_data(as_text=True)
    url = f"http://127.0.0.1:5000/calendar/{token}.ics"
    assert f'<input id="calendar-link" type="url" readonly value="{url}">' in page
    assert 'data-copy="calendar-link"' in page and "js/share.js" in page
    assert f'href="webcal://127.0.0.1:5000/calendar/{token}.ics"' in page
    assert "Your calendar link is ready." in page
    for app_name in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert app_name in page
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    client.post("/settings/calendar/link")
    new_token = token_of(session, ada)
    assert new_token not in (None, token)
    page = client.get("/settings/calendar").get_data(as_text=True)
    assert "the old one no longer works" in page and new_token in page and token not in page
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200

    stopped = client.post("/settings/calendar/stop")
    assert stopped.headers["Location"] == "/settings/calendar"
    assert token_of(session, ada) is None
    page = client.get("/settings/calendar").get_data(as_text=True)
    assert "The calendar feed is stopped" in page and "Create my calendar link" in page
    assert client.get(f"/calendar/{new_token}.ics").status_code == 404


def test_the_settings_page_in_german(client, session, log_in):
    ute = make_user(session, locale="de")
    log_in(ute, client)
    client.post("/settings/calendar/link")
    page = client.get("/settings/calendar").get_data(as_text=True)
    assert "Link kopieren" in page and "Neuen Link erstellen" in page


def test_bad_requests_change_nothing(app, client, session, ada, log_in):
    anonymous = app.test_client()
    for path in ("/settings/calendar", "/settings/calendar/link", "/settings/calendar/stop"):
        method = anonymous.get if path == "/settings/calendar" else anonymous.post
        assert method(path).headers["Location"].startswith("/login")
    assert token_of(session, ada) is None
    log_in(ada, client)
    for path in ("/settings/calendar/link", "/settings/calendar/stop"):
        assert client.get(path).status_code == 405
    assert token_of(session, ada) is None
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/settings/calendar/link")
    assert refused.status_code == 400
    assert token_of(session, ada) is None
    assert client.post("/calendar/" + "a" * 43 + ".ics").status_code == 405
