"""A page speaks the language of the person it is for as soon as they are known:
right after signing up or in, after signing out, and on the pages a mailed link opens
(perhaps in a browser that speaks another language)."""

from tests.factories import PASSWORD, make_user
from tests.mailbox import Mailbox
from tests.web.mail_links import link_in

ENGLISH_BROWSER = {"Accept-Language": "en"}


def test_signing_up_in_german_is_welcomed_in_german(client, mailbox: Mailbox):
    client.post(
        "/signup",
        data={
            "email": "eva@example.org",
            "password": PASSWORD,
            "display_name": "Eva",
            "time_zone": "Europe/Berlin",
            "locale": "de",
        },
        headers=ENGLISH_BROWSER,
    )
    page = client.get("/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Willkommen, Eva!" in page and "Welcome" not in page


def test_signing_out_keeps_the_language(session, client):
    make_user(session, email="bernd@example.org", locale="de")
    client.post("/login", data={"email": "bernd@example.org", "password": PASSWORD})
    client.post("/logout", headers=ENGLISH_BROWSER)
    page = client.get("/", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert "Du bist abgemeldet." in page


def test_a_confirm_link_opens_in_the_language_of_the_account(app, session, mailbox: Mailbox):
    signer = app.test_client()
    signer.post(
        "/signup",
        data={
            "email": "bernd@example.org",
            "password": PASSWORD,
            "display_name": "Bernd",
            "time_zone": "Europe/Berlin",
            "locale": "de",
        },
    )
    [mail] = mailbox.to("bernd@example.org")
    page = app.test_client().get(link_in(mail, "/confirm/"), headers=ENGLISH_BROWSER)
    assert page.status_code == 200
    assert "Adresse bestätigt" in page.get_data(as_text=True)
