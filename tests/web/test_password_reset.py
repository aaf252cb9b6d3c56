"""A forgotten password: asking for a link, the mail, setting a new password with
it, and the limits; never telling whether an account uses an address."""

import re
from datetime import timedelta

import pytest

from kindness.domain import moderation
from kindness.models import User
from tests.clock import NOON_IN_BERLIN
from tests.factories import PASSWORD, make_user
from tests.web.mail_links import link_in

pytestmark = pytest.mark.usefixtures("clock")
NEW = "seven days of small favours"
SENT = "If an account uses that address, we have mailed a link; it works for one hour."


def page_text(response) -> str:
    """The page without its CSRF tokens, which differ from one browser to the next."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.text)


def ask(client, email: str, ip: str = "127.0.0.1"):
    return client.post("/password/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": ip})


def set_password(client, link: str, password: str = NEW, again: str | None = None):
    return client.post(link, data={"password": password, "confirm": again or password})


def reload(session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def reset_link(app, mailbox, user: User) -> str:
    assert ask(app.test_client(), user.email).status_code == 302
    [mail] = mailbox.to(user.email)
    return link_in(mail, "/password/reset/")


def test_the_log_in_page_offers_a_forgotten_password(client):
    page = client.get("/login").text
    assert '<a href="/password/forgot">Forgot password?</a>' in page
    form = client.get("/password/forgot")
    assert form.status_code == 200 and 'name="email"' in form.text


def test_unknown_and_suspended_addresses_get_the_same_answer_and_no_mail(app, session, mailbox):
    make_user(session, email="ada@example.org")
    suspended = make_user(session, email="sus@example.org")
    mod = make_user(session)
    mod.is_admin = True
    moderation.suspend(session, mod, suspended.id)
    session.commit()
    answers = []
    for email in ("ada@example.org", "nobody@example.org", "sus@example.org"):
        client = app.test_client()
        asked = ask(client, email)
        shown = client.get(asked.headers["Location"])
        answers.append(
            (asked.status_code, asked.headers["Location"], shown.status_code, page_text(shown))
        )
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:3] == (302, "/password/forgot/sent", 200) and SENT in answers[0][3]
    assert [mail.recipients for mail in mailbox.received] == [["ada@example.org"]]


def test_a_link_sets_the_password_ends_other_sessions_and_signs_in(app, session, mailbox, log_in):
    ada = make_user(session, email="ada@example.org", display_name="Ada")
    elsewhere = log_in(ada)
    assert elsewhere.get("/settings").status_code == 200

    browser = app.test_client()
    ask(browser, "ADA@example.org")
    [mail] = mailbox.to("ada@example.org")
    assert mail.message["Subject"] == "Set a new password for Kindness"
    assert "List-Unsubscribe" not in mail.message
    assert "Hello Ada," in mail.text and "one hour, and only once" in mail.text
    assert "Set a new password" in mail.html
    link = link_in(mail, "/password/reset/")
    form = browser.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    assert form.headers["Cache-Control"] == "private, no-store"

    done = set_password(browser, link)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert "Hello, Ada" in browser.get("/").text  # this browser is signed in
    assert elsewhere.get("/settings").status_code == 302  # every other session ended
    ada = reload(session, ada.id)
    assert ada.email_confirmed_at == NOON_IN_BERLIN  # the link proved the mailbox

    # Single use: the link died with the password it replaced.
    used = app.test_client().get(link)
    assert used.status_code == 410 and "works only once" in used.text
    assert 'href="/password/forgot"' in used.text
    assert set_password(app.test_client(), link, "yet another long password").status_code == 410
    login = app.test_client().post
    assert login("/login", data={"email": ada.email, "password": PASSWORD}).status_code == 422
    assert login("/login", data={"email": ada.email, "password": NEW}).status_code == 302


def test_a_link_expires_after_one_hour(app, clock, session, mailbox):
    ada = make_user(session)
    link = reset_link(app, mailbox, ada)
    clock.move_to(NOON_IN_BERLIN + timedelta(minutes=61))
    client = app.test_client()
    expired = client.get(link)
    assert expired.status_code == 410 and "This link has expired" in expired.text
    assert "Ask for a new link" in expired.text
    assert set_password(client, link).status_code == 410
    assert reload(session, ada.id).password_hash == ada.password_hash


def test_a_tampered_link_is_refused(app, session, mailbox):
    ada = make_user(session)
    link = reset_link(app, mailbox, ada)
    tampered = link[:-5] + ("aaaaa" if not link.endswith("aaaaa") else "bbbbb")
    client = app.test_client()
    page = client.get(tampered)
    assert page.status_code == 400 and "This link does not work" in page.text
    assert set_password(client, tampered).status_code == 400
    assert reload(session, ada.id).password_hash == ada.password_hash


def test_a_link_for_one_person_never_changes_another(app, session, mailbox, log_in):
    ada = make_user(session, email="ada@example.org")
    ben = make_user(session, email="ben@example.org")
    bens_device = log_in(ben)
    set_password(app.test_client(), reset_link(app, mailbox, ada))
    ben_after = reload(session, ben.id)
    assert (ben_after.password_hash, ben_after.session_token) == (
        ben.password_hash,
        ben.session_token,
    )
    assert bens_device.get("/settings").status_code == 200


def test_a_password_against_the_rules_changes_nothing(app, session, mailbox):
    ada = make_user(session)
    link = reset_link(app, mailbox, ada)
    client = app.test_client()
    for password, again, message in [
        ("1234567890", None, "most common"),
        ("short", None, "Use between 10 and 256 characters"),
        (NEW, "something else entirely", "The passwords differ."),
    ]:
        refused = set_password(client, link, password, again)
        assert refused.status_code == 422 and message in refused.text
    assert reload(session, ada.id).password_hash == ada.password_hash
    assert set_password(client, link).status_code == 302  # the link still works


def test_asking_is_limited_per_address_without_telling_who_exists(app, session, mailbox):
    app.config["RESET_LIMIT"] = "2 per hour"
    make_user(session, email="ada@example.org")
    refusals = []
    for email in ("ada@example.org", "nobody@example.org"):
        client = app.test_client()
        assert [ask(client, email).status_code for _ in range(2)] == [302, 302]
        refused = ask(client, email.upper())  # the same address, however written
        assert refused.status_code == 429
        refusals.append(page_text(refused))
    assert refusals[0] == refusals[1]
    assert (
        "look in your spam folder" in refusals[0] and '<header class="site-header">' in refusals[0]
    )
    assert len(mailbox.to("ada@example.org")) == 2
    assert ask(app.test_client(), "ben@example.org").status_code == 302  # others may ask


def test_asking_is_limited_per_ip_address(app, session, mailbox):
    app.config["RESET_IP_LIMIT"] = "2 per hour"
    client = app.test_client()
    statuses = [ask(client, f"person{n}@example.org", "203.0.113.7").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert ask(client, "person9@example.org", "198.51.100.1").status_code == 302


def test_the_mail_is_in_the_persons_language(app, session, mailbox):
    grete = make_user(session, email="grete@example.org", display_name="Grete", locale="de")
    reset_link(app, mailbox, grete)
    [mail] = mailbox.to("grete@example.org")
    assert mail.message["Subject"] == "Setze ein neues Passwort für Kindness"
    assert "Hallo Grete," in mail.text and "nur einmal" in mail.text
    assert "Neues Passwort setzen" in mail.html


def test_a_suspended_person_opening_a_link_is_told_where_to_write(app, session, mailbox):
    app.config["MAIL_FROM"] = "Kindness <hello@kindness.example>"
    ada = make_user(session)
    link = reset_link(app, mailbox, ada)
    mod = make_user(session)
    mod.is_admin = True
    moderation.suspend(session, mod, ada.id)
    session.commit()
    page = app.test_client().get(link)
    assert page.status_code == 422
    assert "suspended by the moderators" in page.text and "hello@kindness.example" in page.text
