"""Settings → API tokens in a browser, at 1280×900 and on a 390×844 phone: a
refused form, a token made and copied (the clipboard holds the secret, which
then works against the API), the list showing its prefix only, and revoking it
after the question."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SCREENS = {"desktop": False, "phone": True}


@pytest.mark.parametrize("screen", SCREENS)
def test_make_copy_and_revoke_a_token(people, screen):
    phone = SCREENS[screen]
    ada = people("ada", phone=phone)
    if not phone:
        ada.page.set_viewport_size({"width": 1280, "height": 900})
    ada.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ada.base_url)
    ada.goto("/signup")
    ada.sign_up("Ada", f"ada.tokens.{screen}@example.org")
    ada.goto("/settings")
    ada.press(ada.link("Manage your API tokens", within="main"))
    assert ada.heading() == "API tokens"
    assert "You have no tokens." in ada.main_text()
    assert ada.horizontal_overflow() == 0

    # A token needs a name: the form says so, under the field.
    ada.press(ada.button("Make the token"), status=422)
    assert ada.page.locator("main .errors li").all_inner_texts() == [
        "Please give the token a name."
    ]

    ada.page.fill("#name", "Phone shortcut")
    ada.page.get_by_label("Read and write").check()
    ada.page.fill("#expires_on", "2026-12-31")
    ada.press(ada.button("Make the token"))
    assert ada.heading() == "Your new token “Phone shortcut”"
    assert "shown only this once" in ada.main_text()
    secret = ada.page.input_value("#token-secret")
    assert re.fullmatch(r"kind_[A-Za-z0-9_-]{40,}", secret)
    assert ada.horizontal_overflow() == 0

    # Copy: the button and the status line say so, and the clipboard holds the secret.
    ada.button("Copy token").click()
    expect(ada.page.locator("main button[data-copy=token-secret]")).to_have_text("Copied")
    expect(ada.page.locator("#token-copy-status")).to_have_text("Copied")
    assert ada.page.evaluate("() => navigator.clipboard.readText()") == secret
    ada.page.screenshot(path=str(ada.screenshots / f"{ada.prefix}-ada-copied.png"), full_page=True)

    me = ada.page.request.get(
        f"{ada.base_url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert me.status == 200 and me.json()["display_name"] == "Ada"

    # Back on the list: its prefix, never the secret again.
    ada.press(ada.link("Done: back to your tokens", within="main"))
    listing = ada.main_text()
    assert secret not in ada.page.content()
    assert f"{secret[:11]}…" in listing
    assert "Read and write" in listing
    assert "last used" in listing
    assert ada.horizontal_overflow() == 0

    # Revoking asks first; then the API refuses the token.
    ada.press(ada.link("Revoke “Phone shortcut”…", within="main"))
    assert ada.heading() == "Revoke “Phone shortcut”?"
    ada.press(ada.button("Revoke"))
    assert ada.flashes() == ["The token is revoked; it no longer works."]
    assert "You have no tokens." in ada.main_text()
    refused = ada.page.request.get(
        f"{ada.base_url}/api/v1/me", headers={"Authorization": f"Bearer {secret}"}
    )
    assert refused.status == 401
