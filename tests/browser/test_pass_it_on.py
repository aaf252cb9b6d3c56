"""Journey 2: a pass-it-on card travels from one person to another and on, and
the chain shows it to the author, the recipient and a stranger."""

import re

import pytest

pytestmark = pytest.mark.browser

FIRST = "Carried Grete's shopping up four floors"
SECOND = "Fixed the flat tyre of a neighbour's bike"


def outline(person) -> list[str]:
    return person.page.locator(".chain-outline li").all_inner_texts()


def test_a_card_is_claimed_passed_on_and_shown_as_a_chain(people):
    ada = people("ada")
    ada.goto("/signup")
    ada.sign_up("Ada", "ada.card@example.org")
    ada.page.fill("#what", FIRST)
    ada.page.fill("#new_contact_name", "Grete")
    ada.press(ada.button("Log it"))
    assert ada.flashes() == ["Logged. Thank you for your kindness."]
    ada.press(ada.link(FIRST, within="main .act-list"))
    assert ada.heading() == FIRST
    assert "for Grete" in ada.main_text()
    ada.page.check("#show_text")
    ada.press(ada.button("Pass it on"))
    assert ada.heading() == "Something kind came your way."
    assert ada.page.locator(".pass-card blockquote").inner_text() == FIRST
    assert ada.page.locator(".pass-qr svg").count() == 1
    card_url = ada.page.locator("a.pass-url").inner_text()
    assert re.fullmatch(re.escape(ada.base_url) + r"/p/[A-Za-z0-9_-]{11,}", card_url)

    # Bea gets the link, signs up on the way, claims the card and passes it on.
    bea = people("bea")
    bea.goto(card_url)
    assert bea.heading() == "Something kind came your way."
    assert FIRST in bea.main_text()
    bea.page.check("#named")
    bea.press(bea.button("Sign up and claim"))
    assert bea.heading() == "Sign up"
    bea.sign_up("Bea", "bea.card@example.org")
    assert bea.page.url == card_url  # back on the card, with the claim done
    assert bea.flashes() == ["Welcome, Bea!", "It is yours now. When the moment comes, pass it on."]
    assert "You claimed this on" in bea.main_text()
    bea.press(bea.page.locator("nav").get_by_role("link", name="Received", exact=True))
    assert bea.path == "/acts/received"
    assert bea.page.locator("main .act-what").all_inner_texts() == [FIRST]
    bea.press(bea.link("Pay it forward"))
    assert bea.heading() == "Pay it forward"
    assert "You are passing on kindness you received." in bea.main_text()
    bea.page.fill("#what", SECOND)
    bea.page.get_by_label("Everyone").check()
    bea.press(bea.button("Log it"))
    assert bea.flashes() == ["Logged. Thank you for your kindness."]
    bea.press(bea.link(SECOND, within="main .act-list"))
    bea.press(bea.link("See its chain"))
    chain_url = bea.page.url
    assert bea.heading() == "A chain of kindness"
    # Ada's act is private: even its recipient sees a placeholder.
    assert outline(bea)[0].startswith("Generation 0: an act someone did")
    assert FIRST not in bea.page.content()

    # Ada's inbox tells her that her kindness travelled.
    ada.goto("/")
    assert ada.page.locator("nav .badge").inner_text() == "2"
    ada.press(ada.page.locator("nav").get_by_role("link", name=re.compile("^Inbox")))
    entries = ada.page.locator(".inbox li").all_inner_texts()
    assert len(entries) == 2
    assert entries[0].startswith(f"Your kindness travelled: “{FIRST}”")
    # The chain's own figures, as its page gives them below.
    assert "The chain: 3 people, 2 generations" in entries[0]
    assert entries[1].startswith(f"Bea claimed your card: “{FIRST}”\n")
    ada.press(ada.link("See the chain", within=".inbox li >> nth=0"))
    assert ada.heading() == "A chain of kindness"
    figures = ada.page.locator("main .totals li").all_inner_texts()
    assert figures[:3] == ["2 acts", "3 people reached", "2 generations"]
    assert "1 act in the widest generation" in figures
    lines = outline(ada)
    assert lines[0].startswith(f"Generation 0: {FIRST}")
    assert "Ada → Grete" in lines[0]  # her contact's name, shown to her alone
    assert "yours" in lines[0]
    assert lines[1].startswith(f"Generation 1: {SECOND}")
    assert "Bea → someone" in lines[1]
    assert ada.page.locator(".chain-picture svg").count() == 1

    # A stranger sees the chain, with Ada's private act masked.
    stranger = people("stranger")
    stranger.goto(chain_url)
    assert stranger.heading() == "A chain of kindness"
    lines = outline(stranger)
    assert lines[0].startswith("Generation 0: an act someone did")
    assert lines[1].startswith(f"Generation 1: {SECOND}")
    html = stranger.page.content()
    for secret in (FIRST, "Grete", "Ada"):
        assert secret not in html
    picture = stranger.page.locator(".chain-picture svg")
    assert picture.locator(".chain-node.kind-placeholder").count() == 1
    assert picture.locator(".chain-node.kind-act").count() == 1


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_log_pass_it_on_and_copy_the_link(people, phone):
    """Log → "Pass it on" under the flash → the card → copy its link (Chromium on
    Linux has no Web Share, so its button stays hidden and the copy path is driven)."""
    name = "cleo-phone" if phone else "cleo"
    cleo = people(name, phone=phone)
    cleo.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=cleo.base_url)
    cleo.goto("/signup")
    cleo.sign_up("Cleo", f"{name}@example.org")
    cleo.page.fill("#what", FIRST)
    cleo.press(cleo.button("Log it"))
    assert cleo.flashes() == ["Logged. Thank you for your kindness."]
    # The act's text is a link that looks like one.
    act_link = cleo.link(FIRST, within="main .act-list")
    assert act_link.evaluate("a => getComputedStyle(a).textDecorationLine") == "underline"
    cleo.press(cleo.button("Pass it on", within="main .flash-offer"))
    assert cleo.heading() == "Something kind came your way."
    assert cleo.page.locator(".pass-qr svg").count() == 1
    link = cleo.page.locator("a.pass-url")
    card_url = link.get_attribute("href")
    assert re.fullmatch(re.escape(cleo.base_url) + r"/p/[A-Za-z0-9_-]{11,}", card_url)
    assert link.inner_text() == card_url
    assert cleo.page.locator("#card-link").input_value() == card_url
    assert cleo.page.evaluate("() => typeof navigator.share") == "undefined"
    assert not cleo.button("Share…").is_visible()  # no Web Share here, so no button
    assert cleo.button("Print").is_visible()
    copy = cleo.button("Copy link")
    copy.click()
    cleo.page.wait_for_function(
        "() => document.querySelector('button[data-copy]').textContent === 'Copied'"
    )
    assert cleo.page.evaluate("() => navigator.clipboard.readText()") == card_url
    if phone:
        assert cleo.horizontal_overflow() == 0
    assert cleo.problems == []

    # Back on the dashboard, the same act's button leads to the same card.
    cleo.goto("/")
    cleo.press(cleo.button("Pass it on", within="main .act-list"))
    assert cleo.page.locator("a.pass-url").get_attribute("href") == card_url
