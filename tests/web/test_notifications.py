"""Settings → Notifications (one click per choice), the choices at sign-up, and the
one-click unsubscribe link of every notice mail (RFC 8058), without logging in."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import tokens
from kindness.models import User
from tests.clock import TODAY
from tests.factories import claim, make_act, make_challenge
from tests.notices import choices_of, links, make_person, path_of, tick, unsubscribe_header

DEFAULTS = {
    "notify_claimed": True,
    "notify_travelled": "weekly",
    "notify_team_week": True,
    "notify_week_ends": False,
    "daily_idea": False,
    "mail_hour": 8,
}

pytestmark = pytest.mark.usefixtures("clock")


# Settings → Notifications


def test_the_page_shows_every_choice_its_state_and_the_hour(session, log_in):
    ada = make_person(session, time_zone="Asia/Kolkata", mail_hour=7)
    page = log_in(ada).get("/settings/notifications").get_data(as_text=True)
    assert "<title>Notifications · Kindness</title>" in page
    for words in (
        "Your card was claimed",
        "Your kindness travelled",
        "Your team&#39;s week is scheduled, and when it starts",
        "Your week ends today — how was it?",
        "A gentle idea each day of an active week",
    ):
        assert words in page, words
    assert page.count('<span class="tag">On</span>') == 2  # claimed, team week
    assert page.count('<span class="tag">Off</span>') == 2  # week ends, the idea
    assert page.count('aria-pressed="true"') == 1
    assert 'aria-pressed="true">Weekly, on Mondays</button>' in page
    assert '<option value="7" selected>07:00</option>' in page
    assert "Asia/Kolkata" in page
    assert "confirm yours" not in page
    settings = log_in(ada).get("/settings").get_data(as_text=True)
    assert 'href="/settings/notifications"' in settings


def test_an_unconfirmed_address_is_told_why_nothing_comes(session, log_in):
    page = log_in(make_person(session, confirmed=False)).get("/settings/notifications")
    assert "We mail notices only to a confirmed address" in page.get_data(as_text=True)


def test_each_click_changes_exactly_one_choice(session, log_in):
    ada = make_person(session)
    client = log_in(ada)
    expected = choices_of(session, ada)
    assert expected == DEFAULTS
    for kind, value, change in [
        ("claimed", "off", {"notify_claimed": False}),
        ("travelled", "immediately", {"notify_travelled": "immediately"}),
        ("travelled", "never", {"notify_travelled": "never"}),
        ("team_week", "off", {"notify_team_week": False}),
        ("week_ends", "on", {"notify_week_ends": True}),
        ("daily_idea", "on", {"daily_idea": True}),
        ("mail_hour", "21", {"mail_hour": 21}),
        ("mail_hour", "0", {"mail_hour": 0}),
        ("claimed", "on", {"notify_claimed": True}),
    ]:
        response = client.post("/settings/notifications", data={"kind": kind, "value": value})
        assert response.status_code == 302
        assert response.headers["Location"] == "/settings/notifications"
        expected.update(change)
        assert choices_of(session, ada) == expected, (kind, value)
    page = client.get("/settings/notifications").get_data(as_text=True)
    assert "Your choice is saved." in page
    assert 'aria-pressed="true">Never</button>' in page
    assert '<option value="0" selected>00:00</option>' in page


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("claimed", "maybe", "Choose on or off."),
        ("travelled", "hourly", "Choose immediately, daily, weekly or never."),
        ("mail_hour", "24", "Choose an hour from 0 to 23."),
        ("mail_hour", "-1", "Choose an hour from 0 to 23."),
        ("mail_hour", "7.5", "Choose an hour from 0 to 23."),
        ("mail_hour", "٣", "Choose an hour from 0 to 23."),
        ("notify_claimed", "off", "There is no such notice."),
        ("claimed", "", "This field is required."),
        ("claimed", "x" * 13, "Field cannot be longer than 12 characters."),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(session, log_in, kind, value, message):
    ada = make_person(session)
    response = log_in(ada).post("/settings/notifications", data={"kind": kind, "value": value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert choices_of(session, ada) == DEFAULTS


def test_the_page_in_german(session, log_in):
    page = log_in(make_person(session, locale="de")).get("/settings/notifications")
    text = page.get_data(as_text=True)
    for words in ("Benachrichtigungen", "Deine Karte wurde eingelöst", "Wöchentlich, montags"):
        assert words in text, words


def test_the_page_needs_login(client):
    for response in (
        client.get("/settings/notifications"),
        client.post("/settings/notifications", data={"kind": "claimed", "value": "off"}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")


# Sign-up


def input_tag(page: str, field_id: str) -> str:
    if field_id == "notify_travelled":
        field_id = "notify_travelled-2"
    start = page.rindex("<input", 0, page.index(f'id="{field_id}"'))
    return page[start : page.index(">", start)]


def test_sign_up_offers_the_defaults(client):
    page = client.get("/signup").get_data(as_text=True)
    ticked = {name: "checked" in input_tag(page, name) for name in DEFAULTS if name != "mail_hour"}
    assert ticked == {
        "notify_claimed": True,
        "notify_travelled": True,  # its "weekly" button
        "notify_team_week": True,
        "notify_week_ends": False,
        "daily_idea": False,
    }
    assert page.count('name="notify_travelled" type="radio"') == 4
    assert '<input id="notices_shown" name="notices_shown" type="hidden" value="1">' in page


def new_account(session, email: str) -> dict:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return choices_of(session, user)


def test_sign_up_stores_the_choices_as_sent(auth, session):
    # The form as offered, sent unchanged.
    shown = {"notices_shown": "1", "notify_claimed": "y", "notify_team_week": "y"}
    auth.signup(email="ada@example.org", notify_travelled="weekly", **shown)
    assert new_account(session, "ada@example.org") == DEFAULTS
    auth.logout()
    # Every box turned the other way.
    auth.signup(
        email="ben@example.org",
        notices_shown="1",
        notify_travelled="immediately",
        notify_week_ends="y",
        daily_idea="y",
    )
    assert new_account(session, "ben@example.org") == {
        **DEFAULTS,
        "notify_claimed": False,
        "notify_travelled": "immediately",
        "notify_team_week": False,
        "notify_week_ends": True,
        "daily_idea": True,
    }


def test_sign_up_without_the_choices_gets_the_defaults(auth, session):
    assert auth.signup(email="cy@example.org").status_code == 302
    assert new_account(session, "cy@example.org") == DEFAULTS


def test_sign_up_refuses_a_bad_choice(auth, session):
    response = auth.signup(email="dan@example.org", notices_shown="1", notify_travelled="hourly")
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert session.scalar(select(User).where(User.email == "dan@example.org")) is None


# One-click unsubscribe


@pytest.fixture
def letter(app, session, mailbox):
    """A letter to Ada with two sections: her card was claimed, and the idea of the day."""
    ada = make_person(session, display_name="Ada", mail_hour=12, daily_idea=True)
    make_challenge(session, ada, TODAY - timedelta(days=1))
    claim(session, make_act(session, ada, TODAY, what="Shovelled the snow"), make_person(session))
    tick(app)  # noon in Berlin: her hour
    [mail] = mailbox.to(ada.email)
    return ada, mail


def test_opening_the_link_asks_first_and_changes_nothing(app, session, letter):
    ada, mail = letter
    page = app.test_client().get(path_of(unsubscribe_header(mail)))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "This turns off these notices by mail:" in text
    assert "<li>Your card was claimed</li>" in text
    assert "<li>A gentle idea each day of an active week</li>" in text
    assert "Your kindness travelled" not in text
    assert ">Turn them off</button>" in text
    assert choices_of(session, ada) == {**DEFAULTS, "mail_hour": 12, "daily_idea": True}


def test_one_click_turns_off_exactly_what_the_letter_carried(app, session, letter):
    ada, mail = letter
    app.config["WTF_CSRF_ENABLED"] = True  # the mail client sends no token and no cookie
    response = app.test_client().post(
        path_of(unsubscribe_header(mail)),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<h1>Done</h1>" in text
    assert 'href="/settings/notifications"' in text
    assert choices_of(session, ada) == {
        **DEFAULTS,
        "mail_hour": 12,
        "notify_claimed": False,
        "daily_idea": False,
    }
    again = app.test_client().get(path_of(unsubscribe_header(mail))).get_data(as_text=True)
    assert "<h1>Done</h1>" in again and "Turn them off" not in again


def test_a_section_link_turns_off_only_its_kind(app, session, letter):
    ada, mail = letter
    claimed_stop, idea_stop, everything = links(mail.text, "/unsubscribe/")
    assert everything == unsubscribe_header(mail)
    assert path_of(claimed_stop) in mail.html and path_of(idea_stop) in mail.html
    anonymous = app.test_client()
    assert anonymous.post(path_of(idea_stop)).status_code == 200
    assert choices_of(session, ada) == {**DEFAULTS, "mail_hour": 12}
    assert anonymous.post(path_of(claimed_stop)).status_code == 200
    assert choices_of(session, ada) == {**DEFAULTS, "mail_hour": 12, "notify_claimed": False}


def test_the_unsubscribe_pages_speak_the_language_of_the_account(app, session, letter):
    ada, mail = letter
    ada.locale = "de"
    session.commit()
    anonymous = app.test_client()
    english_browser = {"Accept-Language": "en"}
    asked = anonymous.get(path_of(unsubscribe_header(mail)), headers=english_browser)
    assert "Abbestellen" in asked.get_data(as_text=True)
    done = anonymous.post(path_of(unsubscribe_header(mail)), headers=english_browser)
    assert "Erledigt" in done.get_data(as_text=True)


def tampered(url: str) -> list[str]:
    token = path_of(url).rsplit("/", 1)[1]
    payload, stamp, signature = token.split(".")
    # (Not the last character: some of its bits are padding, which a decoder ignores.)
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    return [
        f"{payload}.{stamp}.{flipped}",  # a changed signature
        f"{payload[:-2]}.{stamp}.{signature}",  # a changed payload
        token[:20],  # cut short
        "not-a-token",
    ]


def test_a_bad_link_changes_nothing(app, session, letter):
    ada, mail = letter
    before = choices_of(session, ada)
    anonymous = app.test_client()
    secret = app.config["SECRET_KEY"]
    signed_but_wrong = [
        tokens.make(secret, "reset", {"user": ada.id, "kinds": ["claimed"]}),  # another purpose
        tokens.make(secret, "unsubscribe", {"user": ada.id, "kinds": ["everything"]}),
        tokens.make(secret, "unsubscribe", {"user": ada.id, "kinds": []}),
        tokens.make(secret, "unsubscribe", {"user": "1", "kinds": ["claimed"]}),
        tokens.make(secret, "unsubscribe", {"user": 999_999, "kinds": ["claimed"]}),  # no one
    ]
    for token in tampered(unsubscribe_header(mail)) + signed_but_wrong:
        for response in (
            anonymous.get(f"/unsubscribe/{token}"),
            anonymous.post(f"/unsubscribe/{token}", data="List-Unsubscribe=One-Click"),
        ):
            assert response.status_code == 400, token
            assert "This link does not work" in response.get_data(as_text=True)
            assert "This unsubscribe link does not work" in response.get_data(as_text=True)
    assert choices_of(session, ada) == before
