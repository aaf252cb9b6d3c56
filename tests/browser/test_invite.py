"""Inviting well: an organiser makes a team, copies its invite link, prints the
invite page, and a new member joins through the link read back from the QR code
(decoded here with zxing-cpp, as a phone's camera would), at 1280×900 and on a
390×844 phone. The organiser also renames the team in its settings (the address
stays) and finds it in the public team directory."""

import re

import pytest
from playwright.sync_api import expect

from tests.qr import read_qr

pytestmark = pytest.mark.browser

SCREENS = {"desktop": False, "phone": True}


@pytest.mark.parametrize("screen", SCREENS)
def test_invite_by_copy_and_qr_code(people, screen):
    phone = SCREENS[screen]
    ada = people("ada", phone=phone)
    if not phone:
        ada.page.set_viewport_size({"width": 1280, "height": 900})
    ada.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ada.base_url)
    ada.goto("/signup")
    ada.sign_up("Ada", f"ada.invite.{screen}@example.org")
    ada.goto("/teams")
    team_name = f"Class 4b {screen}"
    ada.page.fill("#name", team_name)
    ada.page.fill("#description", "Our kindness week at school")
    ada.page.get_by_label("Public team page").check()
    ada.press(ada.button("Create the team"))
    assert ada.heading() == team_name
    slug = ada.path.removeprefix("/teams/")
    assert ada.horizontal_overflow() == 0

    # The week form offers the coming Monday: today, as the server's today is a Monday.
    assert ada.page.input_value("#starts_on") == "2026-11-16"

    # Copy: the button says so, a status line says so, and the clipboard holds the link.
    invite_url = ada.page.locator("#invite-link").inner_text().strip()
    assert re.fullmatch(re.escape(ada.base_url) + r"/teams/join/[A-Za-z0-9_-]{11,}", invite_url)
    ada.button("Copy link").click()
    copy = ada.page.locator("main button[data-copy=invite-link]")
    expect(copy).to_have_text("Copied")
    expect(ada.page.locator("#invite-copy-status")).to_have_text("Copied")
    assert ada.page.evaluate("() => navigator.clipboard.readText()") == invite_url
    qr_box = ada.page.locator("main img.invite-qr").bounding_box()
    assert qr_box is not None and qr_box["width"] >= 150

    # The page to print: the team's name, the call, the link in words, a big code.
    ada.press(ada.link("QR code to print", within="main"))
    assert ada.heading() == team_name
    assert "Scan to join" in ada.main_text()
    assert ada.page.locator("main .invite-poster .pass-url").inner_text() == invite_url
    assert ada.page.locator(".invite-poster-qr svg").bounding_box()["width"] >= 300
    assert ada.horizontal_overflow() == 0
    ada.page.emulate_media(media="print")
    assert not ada.page.locator("header.site-header").is_visible()
    assert not ada.page.locator(".invite-print-actions").is_visible()
    assert not ada.page.locator(".confirm-banner").is_visible()
    assert ada.page.locator(".invite-poster-qr svg").is_visible()
    ada.page.emulate_media(media="screen")

    # The QR code as a file, read back as a phone would.
    svg = ada.page.request.get(f"{ada.base_url}/teams/{slug}/invite.svg")
    assert svg.status == 200 and svg.headers["cache-control"] == "private, no-store"
    decoded = read_qr(svg.text())
    assert decoded == [invite_url], svg.text()[:400]

    # A week for the team, on the date the form offers.
    ada.press(ada.link(f"Back to {team_name}", within="main"))
    ada.press(ada.button("Schedule a team week"))
    assert ada.flashes() == ["The team's week is scheduled."]

    # Bea joins through the link the code carries.
    bea = people("bea", phone=phone)
    if not phone:
        bea.page.set_viewport_size({"width": 1280, "height": 900})
    bea.goto(decoded[0])
    assert bea.heading() == f"Join {team_name}"
    bea.press(bea.link("Sign up and join"))
    bea.sign_up("Bea", f"bea.invite.{screen}@example.org")
    bea.press(bea.button("Join the team"))
    assert bea.flashes() == [f"Welcome to {team_name}!"]
    assert bea.heading() == team_name
    assert bea.page.locator("#week-heading").inner_text() == "Nov 16, 2026 to Nov 22, 2026"
    # A member sees neither the invite tools nor the settings.
    assert bea.page.locator("#invite-link").count() == 0
    assert bea.page.locator("main").get_by_role("link", name="Team settings").count() == 0
    # The team's week is Bea's week too: her dashboard shows it with its strip.
    bea.goto("/")
    card = bea.page.locator("main section.team-week")
    assert card.count() == 1
    assert card.locator("h2").inner_text() == f"Team week: {team_name}"
    assert "Nov 16, 2026 to Nov 22, 2026" in card.inner_text()
    assert card.locator(".picture svg").count() == 1
    assert bea.horizontal_overflow() == 0

    # Ada renames the team; its address stays, and the directory lists it.
    ada.press(ada.link("Team settings", within="main"))
    assert ada.heading() == f"Settings of {team_name}"
    assert ada.horizontal_overflow() == 0
    ada.page.fill("#name", f"Kind Class {screen}")
    ada.press(ada.button("Save the settings"))
    assert ada.flashes() == ["The team's settings are saved."]
    assert ada.path == f"/teams/{slug}" and ada.heading() == f"Kind Class {screen}"
    ada.goto("/explore")
    ada.press(ada.link("Find a team", within="main"))
    assert ada.heading() == "Find a team"
    ada.page.fill("#q", f"kind class {screen}")
    ada.press(ada.button("Show"))
    entry = ada.page.locator("main .team-entry")
    assert entry.count() == 1
    assert "2 members" in entry.inner_text()
    assert "This week: Nov 16, 2026 to Nov 22, 2026" in entry.inner_text()
    assert ada.horizontal_overflow() == 0
