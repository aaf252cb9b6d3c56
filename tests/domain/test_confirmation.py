"""Confirming an address and changing it: the rules, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import confirmation, links, tokens
from kindness.domain.errors import EmailTaken, InvalidCredentials, InvalidInput, RuleViolation
from kindness.models import Mail, User
from tests.clock import NOON_IN_BERLIN
from tests.factories import PASSWORD, _cheap, make_user

pytestmark = pytest.mark.usefixtures("clock")
SECRET = "test-secret-key"


def mails_of(session, user) -> list[tuple[str, str]]:
    session.flush()
    query = select(Mail.kind, Mail.to_address).where(Mail.user_id == user.id).order_by(Mail.id)
    return [tuple(row) for row in session.execute(query)]


def reason(session, token) -> str:
    with pytest.raises(links.BadLink) as refused:
        confirmation.confirm(session, SECRET, token)
    return refused.value.reason


def test_what_waits_for_a_link(session):
    ada = make_user(session, email="ada@example.org")
    assert confirmation.waiting_address(ada) == "ada@example.org"
    ada.pending_email = "new@example.org"
    assert confirmation.waiting_address(ada) == "new@example.org"
    ada.pending_email, ada.email_confirmed_at = None, NOON_IN_BERLIN
    assert confirmation.waiting_address(ada) is None
    with pytest.raises(RuleViolation):
        confirmation.send_link(session, ada)


def test_each_link_asked_for_is_a_mail_of_its_own(session):
    ada = make_user(session, email="ada@example.org")
    first = confirmation.send_link(session, ada)
    second = confirmation.send_link(session, ada)
    assert first is not None and second is not None
    assert first.key.startswith(f"confirm:{ada.id}:") and first.key != second.key
    assert mails_of(session, ada) == [("confirm", "ada@example.org")] * 2


def test_a_link_confirms_the_address_once(session):
    ada = make_user(session, email="ada@example.org")
    token = confirmation.token_for(SECRET, ada.id, "ada@example.org")
    done = confirmation.confirm(session, SECRET, token)
    assert (done.user, done.address, done.old_address) == (ada, "ada@example.org", None)
    assert ada.email_confirmed_at == NOON_IN_BERLIN
    assert reason(session, token) == links.USED
    assert ada.email_confirmed_at == NOON_IN_BERLIN


def test_a_link_works_for_seven_days(session, clock):
    ada = make_user(session, email="ada@example.org")
    token = confirmation.token_for(SECRET, ada.id, "ada@example.org")
    clock.move_to(NOON_IN_BERLIN + timedelta(days=7, seconds=1))
    assert reason(session, token) == links.EXPIRED
    assert ada.email_confirmed_at is None
    clock.move_to(NOON_IN_BERLIN + timedelta(days=6, hours=23))
    confirmation.confirm(session, SECRET, token)
    assert ada.email_confirmed_at is not None


def test_a_tampered_or_foreign_token_confirms_nothing(session):
    ada = make_user(session, email="ada@example.org")
    token = confirmation.token_for(SECRET, ada.id, "ada@example.org")
    assert (
        reason(session, token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == links.BROKEN
    )
    assert reason(session, confirmation.token_for("another-key", ada.id, ada.email)) == links.BROKEN
    # A reset token is signed for another purpose.
    assert reason(session, tokens.make(SECRET, "reset", [ada.id, ada.email])) == links.BROKEN
    assert reason(session, "not-a-token") == links.BROKEN
    assert ada.email_confirmed_at is None


def test_a_link_for_one_account_never_confirms_another(session):
    ada = make_user(session, email="ada@example.org")
    ben = make_user(session, email="ben@example.org")
    # Ada's id with Ben's address: names neither's current state.
    assert reason(session, confirmation.token_for(SECRET, ada.id, ben.email)) == links.USED
    confirmation.confirm(session, SECRET, confirmation.token_for(SECRET, ada.id, ada.email))
    assert ada.email_confirmed_at is not None and ben.email_confirmed_at is None


def test_a_change_waits_for_its_link_and_tells_the_old_address(session):
    ada = make_user(session, email="ada@example.org")
    assert confirmation.request_change(session, _cheap, ada, " New@Example.org ", PASSWORD) == (
        "new@example.org"
    )
    assert (ada.email, ada.pending_email) == ("ada@example.org", "new@example.org")
    assert mails_of(session, ada) == [("confirm", "new@example.org")]
    old_link = confirmation.token_for(SECRET, ada.id, "ada@example.org")
    done = confirmation.confirm(
        session, SECRET, confirmation.token_for(SECRET, ada.id, "new@example.org")
    )
    assert (done.address, done.old_address) == ("new@example.org", "ada@example.org")
    assert (ada.email, ada.pending_email) == ("new@example.org", None)
    assert ada.email_confirmed_at == NOON_IN_BERLIN
    assert mails_of(session, ada)[-1] == ("address_changed", "ada@example.org")
    # A link for the address before the change is outdated now.
    assert reason(session, old_link) == links.USED


def test_a_change_needs_the_password_and_an_address_of_nobody_else(session):
    ada = make_user(session, email="ada@example.org")
    make_user(session, email="taken@example.org")
    with pytest.raises(InvalidCredentials):
        confirmation.request_change(session, _cheap, ada, "new@example.org", "not it at all")
    with pytest.raises(EmailTaken):
        confirmation.request_change(session, _cheap, ada, "TAKEN@example.org", PASSWORD)
    with pytest.raises(InvalidInput):
        confirmation.request_change(session, _cheap, ada, "ADA@example.org", PASSWORD)
    assert ada.pending_email is None and mails_of(session, ada) == []


def test_a_cancelled_change_leaves_its_link_dead(session):
    ada = make_user(session, email="ada@example.org")
    confirmation.request_change(session, _cheap, ada, "new@example.org", PASSWORD)
    confirmation.cancel_change(session, ada)
    assert ada.pending_email is None
    with pytest.raises(RuleViolation):
        confirmation.cancel_change(session, ada)
    assert reason(session, confirmation.token_for(SECRET, ada.id, "new@example.org")) == links.USED
    assert ada.email == "ada@example.org"


def test_the_sender_knows_which_links_still_wait(session):
    ada = make_user(session, email="ada@example.org")
    assert confirmation.still_waits(ada, "ada@example.org")
    ada.pending_email = "new@example.org"
    assert confirmation.still_waits(ada, "new@example.org")
    ada.email_confirmed_at = NOON_IN_BERLIN
    assert not confirmation.still_waits(ada, "ada@example.org")
    assert not confirmation.still_waits(ada, "other@example.org")
    session.expire_all()
    assert session.get(User, ada.id).pending_email is None  # nothing above was saved
