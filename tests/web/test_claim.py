"""Claiming in one step, what a card says after the claim, the name choice and
the thank-you note: through the pages, on both databases."""

import re

import pytest
from sqlalchemy import select

from kindness.domain import moderation
from kindness.models import Act, Report, Thanks
from tests.clock import TODAY
from tests.factories import PASSWORD, claim, make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

CLAIMED_ON = "November 26, 2026"


def open_card(session, client, act, show_text=True) -> str:
    client.post(f"/acts/{act.id}/pass", data={"show_text": "y"} if show_text else {})
    page = client.get(f"/acts/{act.id}/card").get_data(as_text=True)
    return re.search(r"/p/([A-Za-z0-9_-]+)", page).group(1)


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def card(session, log_in):
    ada = make_user(session, display_name="Ada", email="ada.giver@example.org")
    act = make_act(session, ada, TODAY, what="Shovelled the snow", visibility="private")
    author = log_in(ada)
    return ada, act, author, open_card(session, author, act)


# -- one step -------------------------------------------------------------------


def test_a_claim_survives_sign_up(session, client, auth, card):
    _ada, act, _author, code = card
    page = text_of(client.get(f"/p/{code}"))
    assert "Sign up and claim" in page and 'name="named"' in page
    asked = client.post(f"/p/{code}", data={"named": "y", "then": "signup"})
    assert asked.headers["Location"] == f"/signup?next=/p/{code}"
    assert f'value="/p/{code}"' in text_of(client.get(asked.headers["Location"]))
    signed_up = auth.signup(email="ben@example.org", display_name="Ben", next=f"/p/{code}")
    assert signed_up.headers["Location"] == f"/p/{code}"
    session.expire_all()
    claimed = session.get(Act, act.id)
    assert claimed.recipient_id is not None and claimed.recipient_named
    landed = text_of(client.get(f"/p/{code}"))
    assert "It is yours now." in landed  # no second press
    assert f"You claimed this on {CLAIMED_ON}." in landed
    assert f"/acts/new?parent={act.ref}" in landed and f"/chains/{act.ref}" in landed
    assert "Claim this card" not in landed


def test_a_claim_survives_log_in_and_keeps_the_default_unnamed(session, client, auth, card):
    _ada, act, _author, code = card
    make_user(session, email="cy@example.org", display_name="Cy")
    asked = client.post(f"/p/{code}", data={"then": "login"})
    assert asked.headers["Location"] == f"/login?next=/p/{code}"
    wrong = auth.login(email="cy@example.org", password="not the password", next=f"/p/{code}")
    assert wrong.status_code == 422
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None
    logged_in = auth.login(email="cy@example.org", password=PASSWORD, next=f"/p/{code}")
    assert logged_in.headers["Location"] == f"/p/{code}"
    session.expire_all()
    claimed = session.get(Act, act.id)
    assert claimed.recipient_id is not None and not claimed.recipient_named


def test_a_claim_refused_on_the_way_keeps_the_sign_up_and_shows_the_card(
    session, client, auth, log_in, card
):
    _ada, act, _author, code = card
    client.post(f"/p/{code}", data={"named": "y"})
    rival = make_user(session)
    assert log_in(rival).post(f"/p/{code}").status_code == 302
    signed_up = auth.signup(email="late@example.org", display_name="Late", next=f"/p/{code}")
    assert signed_up.headers["Location"] == f"/p/{code}"
    page = client.get(f"/p/{code}")
    assert page.status_code == 200
    assert "This card has already been claimed." in text_of(page)
    assert "Log out" in text_of(page)  # the sign-up stayed
    session.expire_all()
    assert session.get(Act, act.id).recipient_id == rival.id


def test_the_authors_own_pending_claim_is_refused_on_log_in(session, client, auth, card):
    _ada, act, _author, code = card
    client.post(f"/p/{code}", data={"then": "login"})
    answer = auth.login(email="ada.giver@example.org", password=PASSWORD, next=f"/p/{code}")
    assert answer.headers["Location"] == f"/p/{code}"
    page = text_of(client.get(f"/p/{code}"))
    assert "your own act" in page and "This is your own card." in page
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


def test_a_pending_claim_for_another_page_is_dropped(session, client, auth, card):
    _ada, act, _author, code = card
    client.post(f"/p/{code}", data={"named": "y"})
    auth.signup(email="ben@example.org", display_name="Ben", next="/explore")
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


# -- the card after the claim ------------------------------------------------------


def test_a_claimed_card_for_claimer_author_stranger_and_anonymous(app, session, log_in, card):
    _ada, act, author, code = card
    ben = make_user(session, display_name="Ben")
    claimer = log_in(ben)
    claimer.post(f"/p/{code}", data={"named": "y"})
    mine = claimer.get(f"/p/{code}")
    assert mine.status_code == 200
    assert f"You claimed this on {CLAIMED_ON}." in text_of(mine)
    assert "Shovelled the snow" in text_of(mine)
    theirs = text_of(author.get(f"/p/{code}"))
    assert f"Claimed by Ben on {CLAIMED_ON}." in theirs
    stranger = log_in(make_user(session))
    seen = stranger.get(f"/p/{code}")
    assert seen.status_code == 200
    assert "This card has already been claimed." in text_of(seen)
    assert f"/chains/{act.ref}" in text_of(seen)  # signed in: the masked chain
    assert "Ben" not in text_of(seen).split("<main", 1)[1]
    anonymous = app.test_client().get(f"/p/{code}")
    assert anonymous.status_code == 200
    assert "This card has already been claimed." in text_of(anonymous)
    # A private chain is no page for anonymous visitors: no link to a 404.
    assert f"/chains/{act.ref}" not in text_of(anonymous)
    assert app.test_client().get(f"/chains/{act.ref}").status_code == 404
    # Unnamed, the author reads "someone".
    claimer.post(f"/acts/received/{act.ref}/named", data={})
    assert f"Claimed by someone on {CLAIMED_ON}." in text_of(author.get(f"/p/{code}"))


def test_a_claimed_public_chain_is_linked_for_anonymous_visitors(app, session, log_in):
    ada = make_user(session)
    act = make_act(session, ada, TODAY, what="Read to the class", visibility="public")
    code = open_card(session, log_in(ada), act)
    log_in(make_user(session)).post(f"/p/{code}")
    page = text_of(app.test_client().get(f"/p/{code}"))
    assert "This card has already been claimed." in page and f"/chains/{act.ref}" in page


def test_a_withdrawn_card_is_410_for_everyone(app, session, log_in, card):
    _ada, act, author, code = card
    author.post(f"/acts/{act.id}/pass/revoke")
    for client in (author, log_in(make_user(session)), app.test_client()):
        page = client.get(f"/p/{code}")
        assert page.status_code == 410
        assert "Its giver withdrew this card." in text_of(page)
        assert "Shovelled the snow" not in text_of(page)
    assert log_in(make_user(session)).post(f"/p/{code}").status_code == 410
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


def test_a_hidden_acts_card_shows_no_text_and_cannot_be_claimed(app, session, log_in, card):
    _ada, act, _author, code = card
    moderator = make_user(session)
    moderation.hide(session, moderator, act.id)
    session.commit()
    ben = log_in(make_user(session))
    for client in (ben, app.test_client()):
        page = client.get(f"/p/{code}")
        assert page.status_code == 200
        assert "the moderators have hidden its act" in text_of(page)
        assert "Shovelled the snow" not in text_of(page)
        assert "Claim this card" not in text_of(page) and "Sign up and claim" not in text_of(page)
    refused = ben.post(f"/p/{code}")
    assert refused.status_code == 409
    assert "the moderators have hidden its act" in text_of(refused)
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


def test_a_suspended_givers_cards_cannot_be_claimed(app, session, log_in, card):
    ada, act, _author, code = card
    moderation.suspend(session, make_user(session), ada.id)
    session.commit()
    ben = log_in(make_user(session))
    page = ben.get(f"/p/{code}")
    assert "its giver's account is suspended" in text_of(page)
    assert "Shovelled the snow" not in text_of(page)
    assert ben.post(f"/p/{code}").status_code == 409
    # Nor on the way through sign-up.
    visitor = app.test_client()
    visitor.post(f"/p/{code}", data={"named": "y"})
    visitor.post(
        "/signup",
        data={"email": "new@example.org", "password": PASSWORD, "display_name": "New",
              "time_zone": "UTC", "locale": "en", "next": f"/p/{code}"},
    )  # fmt: skip
    session.expire_all()
    assert session.get(Act, act.id).recipient_id is None


# -- the name choice -----------------------------------------------------------------


def test_the_recipient_changes_the_name_choice_later(app, session, log_in, card):
    _ada, act, author, code = card
    ben = make_user(session, display_name="BenNamed")
    claimer = log_in(ben)
    claimer.post(f"/p/{code}")
    received = text_of(claimer.get("/acts/received"))
    assert "From Ada" in received and f"claimed on {CLAIMED_ON}" in received
    assert f"/acts/received/{act.ref}/named" in received
    answer = claimer.post(f"/acts/received/{act.ref}/named", data={"named": "y"})
    assert answer.headers["Location"].startswith("/acts/received")
    session.expire_all()
    assert session.get(Act, act.id).recipient_named
    assert "BenNamed" in text_of(author.get(f"/chains/{act.ref}.json"))
    claimer.post(f"/acts/received/{act.ref}/named", data={})
    session.expire_all()
    assert not session.get(Act, act.id).recipient_named
    assert "BenNamed" not in text_of(author.get(f"/chains/{act.ref}.json"))
    # Someone else's received act: nothing to change.
    other = log_in(make_user(session))
    assert other.post(f"/acts/received/{act.ref}/named", data={"named": "y"}).status_code == 404
    assert author.post(f"/acts/received/{act.ref}/named", data={"named": "y"}).status_code == 404
    session.expire_all()
    assert not session.get(Act, act.id).recipient_named
    assert session.get(Act, act.id).recipient_id == ben.id  # no un-claiming


# -- the thank-you --------------------------------------------------------------------

NOTE = "ThankYouMarker: the snow was too deep for me"


def test_a_thank_you_is_for_the_two_alone(app, session, log_in, card):
    ada, act, author, code = card
    ben = make_user(session, display_name="Ben")
    claimer = log_in(ben)
    claimer.post(f"/p/{code}", data={"named": "y"})
    answer = claimer.post(
        f"/acts/received/{act.ref}/thanks", data={"text": f"  {NOTE}  ", "next": f"/p/{code}"}
    )
    assert answer.headers["Location"] == f"/p/{code}"
    note = session.scalars(select(Thanks)).one()
    assert (note.text, note.writer_id, note.giver_id) == (NOTE, ben.id, ada.id)
    assert NOTE in text_of(claimer.get(f"/p/{code}"))
    assert NOTE in text_of(claimer.get("/acts/received"))
    inbox = text_of(author.get("/inbox"))
    assert NOTE in inbox and "Ben claimed your card" in inbox
    # Nobody else, and in no export, not even the two's.
    act.visibility = "public"
    session.commit()
    stranger = log_in(make_user(session))
    for client in (author, claimer, stranger, app.test_client()):
        for path in (
            f"/chains/{act.ref}",
            f"/chains/{act.ref}.json",
            f"/chains/{act.ref}.graphml",
            f"/chains/{act.ref}.svg",
            f"/chains/{act.ref}/card.svg",
            "/explore",
        ):
            assert NOTE not in text_of(client.get(path)), path
    for path in (f"/p/{code}", "/inbox", "/acts/received", f"/acts/{act.id}"):
        assert NOTE not in text_of(stranger.get(path)), path
    assert NOTE not in text_of(app.test_client().get(f"/p/{code}"))
    assert NOTE not in text_of(author.get(f"/p/{code}"))  # the inbox is where the giver reads it


def test_a_thank_you_is_checked_and_deleted_by_its_writer_alone(session, log_in, card):
    _ada, act, author, code = card
    ben = make_user(session)
    claimer = log_in(ben)
    claimer.post(f"/p/{code}")
    too_long = claimer.post(
        f"/acts/received/{act.ref}/thanks", data={"text": "x" * 501}, follow_redirects=True
    )
    assert re.search(r'class="flash flash-error"[^>]*>[^<]*500 characters', too_long.text)
    claimer.post(f"/acts/received/{act.ref}/thanks", data={"text": "   "})
    assert session.scalars(select(Thanks)).all() == []
    # Only the recipient writes one, on their own received act.
    assert author.post(f"/acts/received/{act.ref}/thanks", data={"text": NOTE}).status_code == 404
    claimer.post(f"/acts/received/{act.ref}/thanks", data={"text": NOTE})
    twice = claimer.post(
        f"/acts/received/{act.ref}/thanks", data={"text": "again"}, follow_redirects=True
    )
    assert "thanked for this already" in text_of(twice)
    note = session.scalars(select(Thanks)).one()
    assert author.post(f"/thanks/{note.id}/delete").status_code == 404
    assert log_in(make_user(session)).post(f"/thanks/{note.id}/delete").status_code == 404
    assert session.scalars(select(Thanks)).one().text == NOTE
    assert claimer.post(f"/thanks/{note.id}/delete").status_code == 302
    session.expire_all()
    assert session.scalars(select(Thanks)).all() == []


def test_the_giver_reports_a_thank_you_to_the_moderators(session, log_in, card):
    ada, act, author, code = card
    ben = make_user(session)
    claimer = log_in(ben)
    claimer.post(f"/p/{code}")
    claimer.post(f"/acts/received/{act.ref}/thanks", data={"text": NOTE})
    note = session.scalars(select(Thanks)).one()
    assert f"/thanks/{note.id}/report" in text_of(author.get("/inbox"))
    assert NOTE in text_of(author.get(f"/thanks/{note.id}/report"))
    for other in (claimer, log_in(make_user(session))):
        assert other.get(f"/thanks/{note.id}/report").status_code == 404
        assert other.post(f"/thanks/{note.id}/report", data={"reason": "spam"}).status_code == 404
    bad = author.post(f"/thanks/{note.id}/report", data={"reason": "nonsense"})
    assert bad.status_code == 422
    assert session.scalars(select(Report)).all() == []
    sent = author.post(f"/thanks/{note.id}/report", data={"reason": "hurtful", "text": "rude"})
    assert sent.headers["Location"] == "/inbox"
    report = session.scalars(select(Report)).one()
    assert (report.thanks_id, report.act_id, report.reporter_id) == (note.id, act.id, ada.id)
    assert [entry.report.id for entry in moderation.queue(session)] == [report.id]


def test_a_deleted_writer_takes_their_notes_along(session, log_in, card):
    _ada, act, author, code = card
    ben = make_user(session)
    claimer = log_in(ben)
    claimer.post(f"/p/{code}")
    claimer.post(f"/acts/received/{act.ref}/thanks", data={"text": NOTE})
    author.post("/settings/delete", data={"password": PASSWORD})
    session.expire_all()
    assert session.scalars(select(Thanks)).all() == []


# -- the inbox ---------------------------------------------------------------------------


def test_the_inbox_figures_are_the_chain_pages(session, log_in):
    ada, ben, cy, dan = (make_user(session, display_name=n) for n in ("Ada", "Ben", "Cy", "Dan"))
    root = make_act(session, ada, TODAY, what="Root kindness")
    claim(session, root, ben, named=True)
    second = make_act(session, ben, TODAY, what="Second kindness", parent=root)
    claim(session, second, cy)
    third = make_act(session, cy, TODAY, what="Third kindness", parent=second)
    claim(session, third, dan, named=True)
    make_act(session, dan, TODAY, what="Fourth kindness", parent=third)
    client = log_in(ada)
    chain = text_of(client.get(f"/chains/{root.ref}"))
    people = re.search(r"<strong>(\d+)</strong> people", chain).group(1)
    generations = re.search(r"<strong>(\d+)</strong> generations", chain).group(1)
    assert (people, generations) == ("5", "4")
    inbox = text_of(client.get("/inbox"))
    assert f"The chain: {people} people, {generations} generations" in inbox
    assert "Ben claimed your card" in inbox
    # Cy chose not to be named: Ben reads "Your card was claimed", no name.
    ben_inbox = text_of(log_in(ben).get("/inbox"))
    assert "Your card was claimed" in ben_inbox and "Cy" not in ben_inbox.split("<main", 1)[1]


def test_a_claim_stands_after_the_giver_deletes_an_act_with_forwards(session, log_in, card):
    _ada, act, author, code = card
    ben = make_user(session, display_name="Ben")
    claimer = log_in(ben)
    claimer.post(f"/p/{code}")
    make_act(session, ben, TODAY, parent=act)  # passed on, so the act stays as a placeholder
    assert author.post(f"/acts/{act.id}/delete").status_code == 302
    session.expire_all()
    assert session.get(Act, act.id).removed_at is not None
    page = claimer.get(f"/p/{code}")
    assert page.status_code == 200
    assert "You claimed this on" in text_of(page)
    assert "withdrew" not in text_of(page)


def test_pages_that_show_a_claim_code_are_kept_by_no_cache(session, log_in, card):
    _ada, act, author, code = card
    for path in (f"/acts/{act.id}/card", f"/acts/sheet?ids={act.id}"):
        response = author.get(path)
        assert response.status_code == 200, path
        assert code in text_of(response), path
        assert response.headers["Cache-Control"] == "private, no-store", path
