"""The main pages the journeys do not pass through, checked like every other
page (axe-core, console, CSP, assets), and the log form used with the keyboard
alone."""

import pytest

pytestmark = pytest.mark.browser


def href(person, name: str, within: str = "main") -> str:
    return person.link(name, within=within).first.get_attribute("href")


def test_the_other_main_pages(people):
    visitor = people("visitor")
    visitor.goto("/")
    assert visitor.heading() == "One week of giving without strings"
    visitor.press(visitor.link("Log in", within="main"))
    assert visitor.heading() == "Log in"
    visitor.goto("/no-such-page", status=404)
    assert visitor.page.locator(".error-code").inner_text() == "404"

    eve = people("eve")
    eve.goto("/signup")
    eve.sign_up("Eve", "eve@example.org")
    eve.page.fill("#what", "Returned a lost glove to its owner")
    eve.page.fill("#new_contact_name", "Jonas")
    eve.press(eve.button("Log it"))
    eve.press(eve.link("Start a week", within="main"))
    eve.page.check("#pledge")
    eve.press(eve.button("I pledge: start my week"))
    eve.press(eve.link("See your week", within="main"))
    assert "Progress" in eve.main_text()
    eve.press(eve.link("Set this week aside", within="main"))
    eve.press(eve.link("Weeks", within="nav"))
    assert eve.heading() == "Your weeks"

    eve.press(eve.link("My acts", within="nav"))
    eve.press(eve.link("Returned a lost glove to its owner", within="main"))
    act_page = eve.path
    eve.press(eve.link("Edit", within="main"))
    assert eve.heading() == "Edit the act"
    eve.goto(act_page)
    eve.press(eve.link("Delete", within="main"))
    assert eve.heading() == "Delete the act?"

    eve.press(eve.link("Contacts", within="nav"))
    assert eve.heading() == "Contacts"
    eve.press(eve.link("Jonas", within="main"))
    assert eve.heading() == "Jonas"
    eve.goto(eve.path + "/delete")

    eve.goto("/acts/received")
    assert "When someone hands you a pass-it-on card" in eve.main_text()
    eve.goto("/inbox")
    assert eve.heading() == "Inbox"

    eve.goto("/teams")
    eve.page.fill("#name", "Glove Finders")
    eve.page.check("#is_public")
    eve.press(eve.button("Create the team"))
    team_page = eve.path
    eve.press(eve.link("The team's chains", within="main"))
    eve.goto(team_page + "/delete")

    eve.press(eve.link("Settings", within="nav"))
    assert eve.heading() == "Settings"
    eve.press(eve.link("Choose what we mail you", within="main"))
    assert eve.heading() == "Notifications"
    eve.press(eve.page.locator("#notice-daily_idea button"))
    assert eve.flashes() == ["Your choice is saved."]
    assert eve.page.locator("#notice-daily_idea .tag").inner_text() == "On"
    eve.press(eve.button("At once"))
    pressed = eve.page.locator('#notice-travelled button[aria-pressed="true"]')
    assert pressed.inner_text() == "At once"
    eve.press(eve.link("Settings", within="main"))
    eve.press(eve.link("Delete my account…", within="main"))

    visitor.goto(team_page)  # a public team page, seen from outside
    assert visitor.heading() == "Glove Finders"


def test_a_refused_form_answers_its_status_and_shows_why(people):
    ada = people("ada")
    ada.goto("/signup")
    ada.sign_up("Ada", "ada@example.org")
    ada.press(ada.button("Log out", within="nav"))

    ada.goto("/login")
    ada.page.fill("#email", "ada@example.org")
    ada.page.fill("#password", "not my password")
    ada.press(ada.page.locator("main form button[type=submit]"), status=422)
    assert ada.page.locator("main .form-errors").inner_text() == "Email or password is wrong."

    ada.goto("/signup")
    ada.page.fill("#email", "ADA@example.org")
    ada.page.fill("#display_name", "Another Ada")
    ada.page.fill("#password", "a quiet morning walk")
    ada.press(ada.page.locator("main form button[type=submit]"), status=409)
    assert ada.page.locator("#email-errors").inner_text() == (
        "An account with this email address already exists."
    )
    assert ada.page.locator("#email").get_attribute("aria-invalid") == "true"


def focused(person) -> dict:
    return person.page.evaluate(
        """() => {
          const el = document.activeElement;
          return {id: el.id, tag: el.tagName.toLowerCase(), text: el.innerText || "",
                  outline: getComputedStyle(el).outlineStyle};
        }"""
    )


def tab_to(person, element_id: str, limit: int = 40) -> None:
    """Press Tab until the element with ``element_id`` has the focus."""
    for _ in range(limit):
        person.page.keyboard.press("Tab")
        now = focused(person)
        if now["id"] == element_id:
            assert now["outline"] != "none", f"#{element_id} shows no focus ring"
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_the_log_form_with_the_keyboard_alone(people):
    kim = people("kim")
    kim.goto("/signup")
    kim.sign_up("Kim", "kim@example.org")
    kim.goto("/acts/new")
    assert kim.heading() == "Log an act"
    keyboard = kim.page.keyboard

    keyboard.press("Tab")
    assert focused(kim)["text"] == "Skip to content"
    keyboard.press("Enter")  # skips the navigation: the next Tab lands in the form
    keyboard.press("Tab")
    assert focused(kim)["id"] == "what"
    keyboard.type("Shovelled the snow from the neighbours' path")
    tab_to(kim, "new_contact_name")
    keyboard.type("Mrs. Okafor")
    tab_to(kim, "category")
    keyboard.press("Home")  # the first category, "Time" (the default is "Other")
    tab_to(kim, "visibility-0")
    keyboard.press("ArrowRight")
    keyboard.press("ArrowRight")  # Only me -> My teams -> Everyone
    tab_to(kim, "note")
    keyboard.type("She waved from the window.")
    keyboard.press("Tab")
    assert focused(kim)["tag"] == "button" and focused(kim)["text"] == "Log it"
    kim.after(lambda: keyboard.press("Enter"))

    assert kim.flashes() == ["Logged. Thank you for your kindness."]
    item = kim.page.locator("main .act-item").first
    assert item.locator(".act-what").inner_text() == "Shovelled the snow from the neighbours' path"
    assert item.locator(".act-for").inner_text() == "for Mrs. Okafor"
    assert item.locator(".tag").all_inner_texts() == ["Time", "Everyone"]
