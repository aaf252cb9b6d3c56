"""The whole loop, on a laptop and on a phone: log an act, "Pass it on" right
under the flash, copy the card's link (Chromium on Linux has no Web Share, so
the copy path is driven); the second person opens the copied link, signs up on
the way, lands with the claim done, leaves a thank-you, and the giver's inbox
shows it with her name. Then the claimed card as its claimer, its author and a
stranger see it."""

import re

import pytest

pytestmark = pytest.mark.browser

WHAT = "Walked Omar's dog through the storm"
THANKS = "Omar's dog still talks about it. Thank you!"


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_claim_in_one_step_and_say_thank_you(people, phone):
    suffix = "phone" if phone else "laptop"
    ada = people("ada", phone=phone)
    if not phone:
        ada.page.set_viewport_size({"width": 1280, "height": 900})
    ada.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ada.base_url)
    ada.goto("/signup")
    ada.sign_up("Ada", f"ada.claim.{suffix}@example.org")
    ada.page.fill("#what", WHAT)
    ada.press(ada.button("Log it"))
    ada.press(ada.button("Pass it on", within="main .flash-offer"))
    ada.page.check("#show_text")  # the card may show what she did
    ada.press(ada.button("Save"))
    ada.button("Copy link").click()
    ada.page.wait_for_function(
        "() => document.querySelector('button[data-copy]').textContent === 'Copied'"
    )
    card_url = ada.page.evaluate("() => navigator.clipboard.readText()")
    assert re.fullmatch(re.escape(ada.base_url) + r"/p/[A-Za-z0-9_-]{11,}", card_url)
    assert ada.page.locator("a.pass-url").get_attribute("href") == card_url

    mia = people("mia", phone=phone)
    if not phone:
        mia.page.set_viewport_size({"width": 1280, "height": 900})
    mia.goto(card_url)
    assert WHAT in mia.main_text()
    assert not mia.page.is_checked("#named")  # not named unless she says so
    mia.page.check("#named")
    mia.press(mia.button("Sign up and claim"))
    assert mia.heading() == "Sign up"
    mia.sign_up("Mia", f"mia.claim.{suffix}@example.org")
    assert mia.page.url == card_url
    assert "It is yours now. When the moment comes, pass it on." in mia.flashes()
    assert "You claimed this on" in mia.main_text()
    assert mia.link("Pay it forward", within="main").count() == 1
    assert mia.link("See the chain", within="main").count() == 1
    assert mia.horizontal_overflow() == 0
    mia.page.get_by_label("A thank-you for the giver (optional)").fill(THANKS)
    mia.press(mia.button("Send my thanks"))
    assert mia.page.url == card_url
    assert mia.flashes() == ["Your thank-you is on its way. Only the giver reads it."]
    assert THANKS in mia.main_text()

    ada.goto("/inbox")
    entry = ada.page.locator(".inbox li").first.inner_text()
    assert entry.startswith(f"Mia claimed your card: “{WHAT}”\n")
    assert THANKS in entry
    assert ada.horizontal_overflow() == 0
    ada.goto(card_url)
    assert "Claimed by Mia on" in ada.main_text()
    assert THANKS not in ada.main_text()

    stranger = people("stranger", phone=phone)
    stranger.goto(card_url)
    assert "This card has already been claimed." in stranger.main_text()
    assert THANKS not in stranger.page.content() and "Mia" not in stranger.main_text()
