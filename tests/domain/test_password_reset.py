"""Resetting a forgotten password: the rules, without HTTP."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.domain import accounts, links, moderation, password_reset, tokens
from kindness.domain.errors import InvalidCredentials, WeakPassword
from kindness.models import Mail
from tests.clock import NOON_IN_BERLIN
from tests.factories import PASSWORD, _cheap, make_user

pytestmark = pytest.mark.usefixtures("clock")
SECRET = "test-secret-key"
CONTACT = "moderators@example.org"
NEW = "seven days of small favours"


def reset(session, token, password=NEW):
    return password_reset.reset(
        session, _cheap, SECRET, token, password, moderation_contact=CONTACT
    )


def reason(session, token) -> str:
    with pytest.raises(links.BadLink) as refused:
        reset(session, token)
    return refused.value.reason


def test_a_mail_goes_only_to_an_account_in_good_standing(session):
    ada = make_user(session, email="ada@example.org")
    mod = make_user(session)
    mod.is_admin = True
    suspended = make_user(session, email="sus@example.org")
    moderation.suspend(session, mod, suspended.id)
    assert password_reset.request(session, "nobody@example.org") is None
    assert password_reset.request(session, "sus@example.org") is None
    mail = password_reset.request(session, " ADA@example.org ")
    assert mail is not None and mail.key.startswith(f"reset:{ada.id}:")
    kinds = session.execute(select(Mail.kind, Mail.to_address)).all()
    assert [tuple(row) for row in kinds] == [("reset", "ada@example.org")]


def test_a_link_sets_the_password_once_ends_sessions_and_confirms(session):
    ada = make_user(session, email="ada@example.org")
    before = ada.session_token
    token = password_reset.token_for(SECRET, ada, ada.email)
    assert password_reset.check(session, SECRET, token, moderation_contact=CONTACT) is ada
    assert reset(session, token) is ada
    assert _cheap.verify(ada.password_hash, NEW) and not _cheap.verify(ada.password_hash, PASSWORD)
    assert ada.session_token != before
    assert ada.email_confirmed_at == NOON_IN_BERLIN
    assert reason(session, token) == links.USED


def test_a_link_dies_with_a_password_changed_another_way(session):
    ada = make_user(session)
    token = password_reset.token_for(SECRET, ada, ada.email)
    accounts.change_password(session, _cheap, ada, PASSWORD, "another fine long password")
    assert reason(session, token) == links.USED


def test_a_link_works_for_one_hour(session, clock):
    ada = make_user(session)
    token = password_reset.token_for(SECRET, ada, ada.email)
    clock.move_to(NOON_IN_BERLIN + timedelta(hours=1, seconds=1))
    assert reason(session, token) == links.EXPIRED
    assert _cheap.verify(ada.password_hash, PASSWORD)


def test_a_tampered_or_foreign_link_changes_nothing(session):
    ada = make_user(session)
    ben = make_user(session)
    token = password_reset.token_for(SECRET, ada, ada.email)
    assert reason(session, token[:-3] + "xyz") == links.BROKEN
    assert reason(session, password_reset.token_for("another-key", ada, ada.email)) == links.BROKEN
    # Ben's id with a fingerprint of Ada's password: it names no state of Ben's.
    forged = tokens.make(SECRET, "reset", [ben.id, tokens.fingerprint(ada.password_hash), ""])
    assert reason(session, forged) == links.USED
    reset(session, token)
    assert _cheap.verify(ben.password_hash, PASSWORD)


def test_the_new_password_follows_the_rules(session):
    ada = make_user(session)
    token = password_reset.token_for(SECRET, ada, ada.email)
    with pytest.raises(WeakPassword):
        reset(session, token, "1234567890")
    assert _cheap.verify(ada.password_hash, PASSWORD)
    reset(session, token)  # still unused


def test_a_link_mailed_elsewhere_resets_but_confirms_nothing(session):
    ada = make_user(session, email="ada@example.org")
    reset(session, password_reset.token_for(SECRET, ada, "old@example.org"))
    assert _cheap.verify(ada.password_hash, NEW) and ada.email_confirmed_at is None


def test_a_suspended_person_is_told_where_to_write(session):
    ada = make_user(session)
    mod = make_user(session)
    mod.is_admin = True
    token = password_reset.token_for(SECRET, ada, ada.email)
    moderation.suspend(session, mod, ada.id)
    with pytest.raises(InvalidCredentials) as refused:
        reset(session, token)
    assert CONTACT in str(refused.value.message)
    assert _cheap.verify(ada.password_hash, PASSWORD)
