"""On a phone (390×844, touch): the dashboard, the log form, a chain page and a
team's week fit the screen's width, and their buttons can be tapped."""

from datetime import date

import pytest
from sqlalchemy import select

from kindness.domain.teams import membership
from kindness.models import Team, User
from tests.factories import make_act, make_tree, make_user

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
MIN_TARGET = 24  # CSS pixels: WCAG 2.2's minimum target size


def check_fits(person) -> None:
    assert person.horizontal_overflow() == 0, f"{person.path} scrolls sideways on a phone"
    targets = person.tap_targets()
    assert targets, f"no buttons on {person.path}"
    for target in targets:
        assert target["reachable"], f"{target['name']!r} is covered on {person.path}"
        assert target["left"] >= 0 and target["right"] <= PHONE_WIDTH, target
        assert target["width"] >= MIN_TARGET and target["height"] >= MIN_TARGET, target


def test_dashboard_log_form_and_chain_on_a_phone(people, live_server):
    lou = people("lou", phone=True)
    lou.goto("/signup")
    lou.sign_up("Lou", "lou@example.org")
    lou.tap(lou.link("Start a week", within="main"))
    lou.page.locator("#pledge").tap()
    lou.tap(lou.button("I pledge: start my week"))
    lou.page.locator("#what").tap()
    lou.page.keyboard.type("Gave up my seat on the tram")
    lou.tap(lou.button("Log it"))
    assert lou.flashes() == ["Logged. Thank you for your kindness."]
    assert lou.page.locator(".week-strip .strip-summary").text_content() == "1 of 7 days"
    check_fits(lou)

    lou.tap(lou.link("More options", within="main"))
    assert lou.heading() == "Log an act"
    check_fits(lou)

    # A chain of 15 acts in four generations, 8 of them side by side at the bottom.
    sessionmaker = live_server.app.extensions["kindness.db"].sessionmaker
    with sessionmaker() as session:
        owner = session.scalars(select(User).where(User.email == "lou@example.org")).one()
        friend = make_user(session, display_name="Friend of Lou")
        root = make_tree(session, owner, friend, 15, visibility="public")[0]
        chain = f"/chains/{root.ref}"
    lou.goto(chain)
    assert lou.page.locator(".chain-picture svg .chain-node").count() == 15
    assert lou.horizontal_overflow() == 0
    # The wide picture scrolls inside its own box, not the page.
    box = lou.page.locator(".chain-picture").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH
    check_fits_if_buttons(lou)

    # A team's week: its table of seven days and a name column fits too.
    lou.goto("/teams")
    lou.page.fill("#name", "Tram Riders")
    lou.tap(lou.button("Create the team"))
    lou.page.fill("#starts_on", "2026-11-16")
    lou.tap(lou.button("Schedule a team week"))
    # Two more who took part, so the participation view names its three.
    with sessionmaker() as session:
        team = session.scalars(select(Team).where(Team.name == "Tram Riders")).one()
        for name in ("Rosalind Featherstonehaugh", "Mo"):
            rider = make_user(session, display_name=name)
            membership.join(session, team.invite_code, rider, date(2026, 11, 16))
            make_act(session, rider, date(2026, 11, 16), today=date(2026, 11, 16))
        session.commit()
    lou.page.reload()
    assert lou.page.locator(".week-table tbody tr").count() == 3
    check_fits(lou)


def check_fits_if_buttons(person) -> None:
    """The chain page may have no button at all; whatever it has must fit."""
    assert person.horizontal_overflow() == 0
    for target in person.tap_targets():
        assert target["reachable"] and target["left"] >= 0, target
        assert target["right"] <= PHONE_WIDTH, target
