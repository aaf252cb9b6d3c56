"""Journey 3: a team takes a week together; a second person joins by the invite
link, both log acts, and the team page shows the collective tally and chart."""

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


def log_from_dashboard(person, what: str) -> None:
    person.goto("/")
    person.page.fill("#what", what)
    person.press(person.button("Log it"))
    assert person.flashes() == ["Logged. Thank you for your kindness."]


def chart_day(person, day: str) -> tuple[str | None, str | None]:
    bars = person.page.locator(f'.day-chart svg g.chart-day[data-date="{day}"]')
    return bars.get_attribute("data-acts"), bars.get_attribute("data-members")


def test_a_team_week_with_two_members(people, clock):
    ada = people("ada")
    ada.goto("/signup")
    ada.sign_up("Ada", "ada.team@example.org")
    ada.press(ada.link("Teams", within="nav"))
    assert ada.heading() == "My teams"
    ada.page.fill("#name", "Night Owls")
    ada.page.fill("#description", "The late shift of the bakery")
    ada.press(ada.button("Create the team"))
    assert ada.flashes() == ["Your team is ready. Invite the others with the link below."]
    assert ada.heading() == "Night Owls"
    assert "No week yet" in ada.main_text()

    ada.page.fill("#starts_on", "2026-11-16")
    ada.press(ada.button("Schedule a team week"))
    assert ada.flashes() == ["The team's week is scheduled."]
    assert ada.page.locator("#week-heading").inner_text() == "Nov 16, 2026 to Nov 22, 2026"
    invite_url = ada.page.locator("main code.pass-url").inner_text()
    assert re.fullmatch(re.escape(ada.base_url) + r"/teams/join/[A-Za-z0-9_-]{11,}", invite_url)

    bea = people("bea")
    bea.goto(invite_url)
    assert bea.heading() == "Join Night Owls"
    assert "The late shift of the bakery" in bea.main_text()
    bea.press(bea.link("Sign up and join"))
    bea.sign_up("Bea", "bea.team@example.org")
    assert bea.page.url == invite_url
    bea.press(bea.button("Join the team"))
    assert bea.flashes() == ["Welcome to Night Owls!"]
    assert bea.heading() == "Night Owls"

    # Bea shares hers with the team; Ada logs one on Monday and one on Tuesday.
    bea.goto("/")
    bea.press(bea.link("More options"))
    bea.page.fill("#what", "Swept the snow off the bakery steps")
    bea.page.get_by_label("My teams").check()
    bea.press(bea.button("Log it"))
    assert bea.flashes() == ["Logged. Thank you for your kindness."]
    log_from_dashboard(ada, "Brought coffee to the delivery driver")
    clock.shift(timedelta(days=1))
    log_from_dashboard(ada, "Covered a colleague's early shift")

    for person in (ada, bea):
        person.press(person.link("Teams", within="nav"))
        assert "1 member" not in person.main_text()
        person.press(person.link("Night Owls", within="main"))
        figures = person.page.locator("main .totals li").all_inner_texts()
        assert figures == [
            "3 acts",
            "2 members who acted",
            "3 people helped",
            "0 acts grew from them",
        ]
        assert "A collective tally, not a ranking." in person.main_text()
        chart = person.page.locator(".day-chart svg")
        assert chart.locator("desc").text_content() == "3 acts by 2 members in the week."
        assert chart_day(person, "2026-11-16") == ("2", "2")
        assert chart_day(person, "2026-11-17") == ("1", "1")
        assert chart_day(person, "2026-11-18") == ("0", "0")
        assert chart.locator("g.chart-day.is-future").count() == 5
        # Two who took part are too few to name: the per-person view hides itself.
        assert person.page.locator(".week-table").count() == 0
        assert "so this view stays hidden" in person.main_text()
        feed = person.page.locator("main .act-list .act-what").all_inner_texts()
        assert "Swept the snow off the bakery steps" in feed
    # Ada's acts are private: Bea counts them in the tally but never reads them.
    assert feed == ["Swept the snow off the bakery steps"]
    assert "coffee" not in bea.page.content()

    # The owner's buttons in Bea's row post the page's member forms for Bea alone.
    ada.goto("/teams/night-owls")
    bea_row = ada.page.locator("#members li", has_text="Bea")
    assert bea_row.locator(".muted").inner_text() == "· member"
    ada.press(bea_row.get_by_role("button", name="Make admin", exact=True))
    assert ada.flashes() == ["Done."]
    assert ada.path == "/teams/night-owls"
    bea_row = ada.page.locator("#members li", has_text="Bea")
    assert bea_row.locator(".muted").inner_text() == "· admin"
    assert ada.page.locator("#members li", has_text="Ada").locator(".muted").inner_text() == (
        "· owner"
    )
    ada.press(bea_row.get_by_role("button", name="Make member", exact=True))
    assert ada.page.locator("#members li", has_text="Bea").locator(".muted").inner_text() == (
        "· member"
    )
