"""Journey 1: sign up in German, switch to English, start a week and log an act
on three of its days from the dashboard."""

from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser

WHAT = [
    "Carried the neighbour's shopping upstairs",
    "Showed a lost tourist the way to the station",
    "Left a thank-you note for the night nurse",
]


def strip_summary(person) -> str:
    # SVG text has no innerText; its text content is what is drawn.
    return person.page.locator(".week-strip .strip-summary").text_content()


def filled_days(person) -> list[str]:
    days = person.page.locator(".week-strip .strip-day.is-filled")
    return [days.nth(i).get_attribute("data-date") for i in range(days.count())]


def test_a_week_in_german_then_english(people, clock):
    ada = people("ada", locale="de-DE")
    ada.goto("/")
    assert ada.heading() == "Eine Woche Geben ohne Hintergedanken"
    ada.press(ada.link("Starte deine Woche", within="main"))

    assert ada.heading() == "Registrieren"
    assert ada.page.input_value("#locale") == "de"  # from the browser's language
    assert ada.page.input_value("#time_zone") == "Europe/Berlin"  # detected by the page
    ada.sign_up("Ada", "ada.week@example.org")
    assert ada.path == "/"
    assert ada.heading() == "Hallo, Ada"
    assert ada.flashes() == ["Willkommen, Ada!"]
    assert ada.page.locator("html").get_attribute("lang") == "de"

    ada.switch_language("English")
    assert ada.heading() == "Hello, Ada"
    assert ada.page.locator("html").get_attribute("lang") == "en"

    ada.press(ada.link("Start a week", within="main"))
    assert ada.heading() == "Start a week"
    ada.page.check("#pledge")
    assert ada.page.input_value("#starts_on") == "2026-11-16"  # today, in Berlin
    ada.press(ada.button("I pledge: start my week"))
    assert ada.flashes() == ["Your week has begun. Have a kind week!"]
    assert strip_summary(ada) == "0 of 7 days"

    for day, what in enumerate(WHAT):
        if day:
            clock.shift(timedelta(days=1))
            ada.goto("/")
            assert strip_summary(ada) == f"{day} of 7 days"
        ada.page.fill("#what", what)
        ada.press(ada.button("Log it"))
        assert ada.path == "/"
        assert ada.flashes() == ["Logged. Thank you for your kindness."]
        assert strip_summary(ada) == f"{day + 1} of 7 days"

    assert filled_days(ada) == ["2026-11-16", "2026-11-17", "2026-11-18"]
    today = ada.page.locator(".week-strip .strip-day.is-today")
    assert today.get_attribute("data-date") == "2026-11-18"
    lately = ada.page.locator("main .act-list .act-what").all_inner_texts()
    assert sorted(lately) == sorted(WHAT)

    ada.switch_language("Deutsch")
    assert strip_summary(ada) == "3 von 7 Tagen"
    ada.switch_language("English")

    ada.press(ada.link("My acts", within="nav"))
    assert ada.heading() == "My acts"
    assert "3 acts" in ada.main_text()
    items = ada.page.locator("main .act-item")
    assert items.locator(".act-what").all_inner_texts() == list(reversed(WHAT))
    dates = [items.nth(i).locator("time").get_attribute("datetime") for i in range(3)]
    assert dates == ["2026-11-18", "2026-11-17", "2026-11-16"]
    assert items.locator(".act-for").all_inner_texts() == ["for someone"] * 3
