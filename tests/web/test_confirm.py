"""Confirming the address: the mail after sign-up, the link, the banner, asking
again, and changing the address through a link to the new one."""

import re
from datetime import timedelta

import pytest

from kindness.domain import confirmation
from kindness.models import User
from tests.clock import NOON_IN_BERLIN
from tests.factories import PASSWORD, make_user
from tests.web.mail_links import link_in

pytestmark = pytest.mark.usefixtures("clock")
BANNER = "Please confirm your address"


def reload(session, user_id: int) -> User:
    session.expire_all()
    user = session.get(User, user_id)
    assert user is not None
    return user


def post_actions(page: str) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]+)"', page)


def test_sign_up_mails_a_link_that_confirms_the_address(client, auth, session, mailbox):
    assert auth.signup(email="ada@example.org", display_name="Ada").status_code == 302
    [mail] = mailbox.to("ada@example.org")
    assert mail.message["Subject"] == "Confirm your address for Kindness"
    assert mail.message["Content-Language"] == "en"
    assert "List-Unsubscribe" not in mail.message  # account mail is always sent
    assert "Hello Ada," in mail.text and "ada@example.org" in mail.text
    assert "Confirm my address" in mail.html and "seven days" in mail.html
    dashboard = client.get("/").text
    assert f"{BANNER} ada@example.org" in dashboard
    assert {"/confirm/send", "/confirm/later"} <= set(post_actions(dashboard))

    page = client.get(link_in(mail, "/confirm/"))
    assert page.status_code == 200
    assert "Thank you: ada@example.org is confirmed." in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    user = session.query(User).filter_by(email="ada@example.org").one()
    assert reload(session, user.id).email_confirmed_at == NOON_IN_BERLIN
    assert BANNER not in client.get("/").text


def test_a_german_account_gets_the_mail_in_german(auth, mailbox):
    auth.signup(email="grete@example.org", display_name="Grete", locale="de")
    [mail] = mailbox.to("grete@example.org")
    assert mail.message["Subject"] == "Bestätige deine Adresse für Kindness"
    assert mail.message["Content-Language"] == "de"
    assert "Hallo Grete," in mail.text and "Der Link gilt sieben Tage lang." in mail.text
    assert "Meine Adresse bestätigen" in mail.html and "Confirm" not in mail.html
    assert link_in(mail, "/confirm/").startswith("/confirm/")


def test_the_link_works_without_logging_in(app, auth, session, mailbox):
    auth.signup(email="ada@example.org")
    [mail] = mailbox.received
    stranger = app.test_client()
    page = stranger.get(link_in(mail, "/confirm/"))
    assert page.status_code == 200 and 'href="/login"' in page.text
    user = session.query(User).filter_by(email="ada@example.org").one()
    assert reload(session, user.id).email_confirmed_at is not None


def test_the_banner_asks_once_per_sign_in(client, auth, session):
    make_user(session, email="ada@example.org")  # an account from before: unconfirmed
    auth.login()
    assert f"{BANNER} ada@example.org" in client.get("/acts").text
    later = client.post("/confirm/later", data={"next": "/acts"})
    assert later.status_code == 302 and later.headers["Location"] == "/acts"
    for path in ("/", "/acts", "/settings"):
        assert BANNER not in client.get(path).text, path
    # Settings still say that the address waits.
    assert "waiting for confirmation" in client.get("/settings").text
    auth.logout()
    auth.login()
    assert BANNER in client.get("/").text


def test_a_confirmed_account_sees_no_banner(session, log_in):
    ada = make_user(session)
    ada.email_confirmed_at = NOON_IN_BERLIN
    session.commit()
    page = log_in(ada).get("/").text
    assert BANNER not in page and "/confirm/send" not in page


def test_sending_again_mails_a_new_link_within_a_limit(app, session, mailbox, log_in):
    app.config["CONFIRM_LIMIT"] = "2 per hour"
    ada = make_user(session, email="ada@example.org")
    client = log_in(ada)
    for _ in range(2):
        sent = client.post("/confirm/send", data={"next": "/acts"})
        assert sent.status_code == 302 and sent.headers["Location"] == "/acts"
    assert "We have mailed a new link to ada@example.org." in client.get("/acts").text
    refused = client.post("/confirm/send", data={"next": "/acts"})
    assert refused.status_code == 429
    assert (
        "look in your spam folder" in refused.text
        and '<header class="site-header">' in refused.text
    )
    mails = mailbox.to("ada@example.org")
    assert len(mails) == 2
    assert client.get(link_in(mails[-1], "/confirm/")).status_code == 200


def test_sending_again_needs_a_log_in_and_an_address_that_waits(client, session, log_in):
    assert client.post("/confirm/send").status_code == 302
    ada = make_user(session)
    ada.email_confirmed_at = NOON_IN_BERLIN
    session.commit()
    page = log_in(ada).post("/confirm/send", follow_redirects=True)
    assert "Your address is confirmed already." in page.text


def test_settings_show_the_state_of_the_address(session, log_in):
    ada = make_user(session, email="ada@example.org")
    client = log_in(ada)
    waiting = client.get("/settings").text
    assert "waiting for confirmation" in waiting and "Send the link again" in waiting
    ada.email_confirmed_at = NOON_IN_BERLIN
    session.commit()
    confirmed = client.get("/settings").text
    assert ">confirmed<" in confirmed and "Send the link again" not in confirmed


def test_links_that_do_not_work_say_why_and_change_nothing(app, clock, session, log_in):
    ada = make_user(session, email="ada@example.org")
    token = confirmation.token_for(app.config["SECRET_KEY"], ada.id, ada.email)
    client = log_in(ada)

    tampered = client.get(f"/confirm/{token[:-4]}abcd")
    assert tampered.status_code == 400
    assert "This link does not work" in tampered.text and "copy the whole link" in tampered.text
    assert '<header class="site-header">' in tampered.text
    assert "/confirm/send" in post_actions(tampered.text)  # signed in, waiting: a new link

    clock.move_to(NOON_IN_BERLIN + timedelta(days=8))
    expired = app.test_client().get(f"/confirm/{token}")
    assert expired.status_code == 410 and "This link has expired" in expired.text
    assert 'href="/login?next=/settings"' in expired.text  # not signed in: log in first
    assert reload(session, ada.id).email_confirmed_at is None

    clock.move_to(NOON_IN_BERLIN)
    assert client.get(f"/confirm/{token}").status_code == 200
    used = client.get(f"/confirm/{token}")
    assert used.status_code == 410 and "This link was used already" in used.text
    assert "/confirm/send" not in post_actions(used.text)  # nothing waits any more


def test_changing_the_address_waits_for_the_new_one_and_tells_the_old(
    app, auth, session, mailbox, log_in
):
    ada = make_user(session, email="ada@example.org", display_name="Ada")
    ada.email_confirmed_at = NOON_IN_BERLIN - timedelta(days=30)
    session.commit()
    client = log_in(ada)
    changed = client.post(
        "/settings/email", data={"email": "New@Example.org", "password": PASSWORD}
    )
    assert changed.status_code == 302
    [mail] = mailbox.received
    assert mail.recipients == ["new@example.org"]
    assert mail.message["Subject"] == "Confirm your new address for Kindness"
    assert "Until you open it, you log in with ada@example.org" in mail.text
    settings = client.get("/settings").text
    assert "Waiting for confirmation of new@example.org" in settings
    assert "Your address now: ada@example.org" in settings
    assert {"/confirm/send", "/settings/email/cancel"} <= set(post_actions(settings))
    assert BANNER not in settings  # the account is confirmed; only Settings show the change

    # Until the link is opened, the old address is the login.
    assert auth.login(email="new@example.org").status_code == 422
    assert auth.login(email="ada@example.org").status_code == 302
    auth.logout()

    page = app.test_client().get(link_in(mail, "/confirm/"))
    assert page.status_code == 200
    assert "Your address is now new@example.org" in page.text
    assert "We have told your old address, ada@example.org, of the change." in page.text
    ada = reload(session, ada.id)
    assert (ada.email, ada.pending_email) == ("new@example.org", None)
    assert ada.email_confirmed_at == NOON_IN_BERLIN

    [notice] = mailbox.to("ada@example.org")
    assert notice.message["Subject"] == "The address of your Kindness account changed"
    assert "is now new@example.org instead of ada@example.org" in notice.text
    assert "If this wasn't you, reset your password now:" in notice.text
    assert "List-Unsubscribe" not in notice.message
    # The reset link works from the old mailbox: the way back for its owner.
    assert app.test_client().get(link_in(notice, "/password/reset/")).status_code == 200
    assert auth.login(email="new@example.org").status_code == 302


def test_a_cancelled_change_keeps_the_address_and_kills_its_link(app, session, mailbox, log_in):
    ada = make_user(session, email="ada@example.org")
    client = log_in(ada)
    client.post("/settings/email", data={"email": "new@example.org", "password": PASSWORD})
    [mail] = mailbox.received
    assert client.post("/settings/email/cancel").status_code == 302
    assert "The change of address is cancelled." in client.get("/settings").text
    link = client.get(link_in(mail, "/confirm/"))
    assert link.status_code == 410 and "was confirmed, cancelled or replaced since" in link.text
    ada = reload(session, ada.id)
    assert (ada.email, ada.pending_email) == ("ada@example.org", None)
    again = client.post("/settings/email/cancel", follow_redirects=True)
    assert "No change of address is waiting." in again.text


def test_a_change_to_anothers_address_is_refused_and_mails_nothing(session, mailbox, log_in):
    make_user(session, email="taken@example.org")
    ada = make_user(session, email="ada@example.org")
    refused = log_in(ada).post(
        "/settings/email", data={"email": "taken@example.org", "password": PASSWORD}
    )
    assert refused.status_code == 409 and "already exists" in refused.text
    assert mailbox.received == [] and reload(session, ada.id).pending_email is None


def test_changes_of_address_share_the_allowance_of_links(app, session, mailbox, log_in):
    app.config["CONFIRM_LIMIT"] = "2 per hour"
    client = log_in(make_user(session))
    wrong = client.post("/settings/email", data={"email": "a@example.org", "password": "nope"})
    assert wrong.status_code == 422  # a refusal mails nothing and costs nothing
    for address in ("a@example.org", "b@example.org"):
        response = client.post("/settings/email", data={"email": address, "password": PASSWORD})
        assert response.status_code == 302
    assert client.post("/confirm/send").status_code == 429
    assert [mail.recipients for mail in mailbox.received] == [["a@example.org"], ["b@example.org"]]
