"""Personal access tokens, the rules without HTTP: names, scopes, last days, the
cap, what is stored, and who a secret authenticates."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kindness.domain import api_tokens
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import ApiToken
from tests.clock import NOON_IN_BERLIN, TODAY
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")
NOW = NOON_IN_BERLIN


def make(session, user, name="Phone", scope="read", expires_on=None, today=TODAY):
    return api_tokens.make(session, user, name, scope, expires_on, today)


def refusal(session, user, **values) -> tuple[type, str | None]:
    with pytest.raises((InvalidInput, RuleViolation)) as refused:
        make(session, user, **values)
    return type(refused.value), refused.value.field


@pytest.mark.parametrize("name", [None, "", "   ", "\t\n", "x" * (api_tokens.NAME_MAX + 1)])
def test_a_name_is_needed_and_not_too_long(session, name):
    ada = make_user(session)
    assert refusal(session, ada, name=name) == (InvalidInput, "name")
    assert api_tokens.of(session, ada) == []


def test_the_name_is_tidied(session):
    token, _secret = make(session, make_user(session), name="  Phone \n  shortcut ")
    assert token.name == "Phone shortcut"
    assert len(make(session, make_user(session), name="x" * api_tokens.NAME_MAX)[0].name) == 60


@pytest.mark.parametrize("scope", ["", "write", "admin", "READ", None])
def test_only_known_scopes(session, scope):
    ada = make_user(session)
    assert refusal(session, ada, scope=scope) == (InvalidInput, "scope")
    for known in ("read", "read-write"):
        assert make(session, ada, scope=known)[0].scope == known


def test_the_last_day_is_today_or_later_or_none(session):
    ada = make_user(session)
    assert refusal(session, ada, expires_on=TODAY - timedelta(days=1)) == (
        InvalidInput,
        "expires_on",
    )
    assert make(session, ada, expires_on=TODAY)[0].expires_on == TODAY
    assert make(session, ada, expires_on=None)[0].expires_on is None


def test_a_person_keeps_at_most_the_cap_of_tokens(session):
    ada, ben = make_user(session), make_user(session)
    for number in range(api_tokens.TOKENS_MAX):
        make(session, ada, name=f"Token {number}")
    assert refusal(session, ada) == (RuleViolation, "name")
    assert len(api_tokens.of(session, ada)) == api_tokens.TOKENS_MAX
    make(session, ben)  # the cap is per person
    (first, *_rest) = api_tokens.of(session, ada)
    api_tokens.revoke(session, ada, first.id)
    make(session, ada, name="After revoking one")


def test_only_the_hash_of_the_secret_is_stored(session):
    ada = make_user(session)
    token, secret = make(session, ada)
    assert secret.startswith(api_tokens.PREFIX)
    assert len(secret) > 40
    assert token.prefix == secret[: api_tokens.SHOWN]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    session.expire_all()
    row = session.scalar(select(ApiToken).where(ApiToken.id == token.id))
    stored = (row.name, row.prefix, row.secret_hash, row.scope)
    assert all(secret not in value for value in stored)
    assert make(session, ada)[1] != secret


def test_of_lists_only_the_persons_tokens_newest_first(session, clock):
    ada, ben = make_user(session), make_user(session)
    make(session, ada, name="Old")
    clock.move_to(NOW + timedelta(minutes=1))
    make(session, ada, name="New")
    make(session, ben, name="Ben's")
    assert [token.name for token in api_tokens.of(session, ada)] == ["New", "Old"]


def test_revoke_only_ones_own(session):
    ada, ben = make_user(session), make_user(session)
    token, secret = make(session, ada)
    with pytest.raises(NotFound):
        api_tokens.revoke(session, ben, token.id)
    with pytest.raises(NotFound):
        api_tokens.revoke(session, ada, token.id + 1000)
    assert api_tokens.authenticate(session, secret, NOW) is not None
    api_tokens.revoke(session, ada, token.id)
    assert api_tokens.of(session, ada) == []
    assert api_tokens.authenticate(session, secret, NOW) is None


@pytest.mark.parametrize(
    "secret", ["", "kind_", "kind_unknown", "not-a-token", "kind_" + "x" * 200, "Bearer kind_x"]
)
def test_unknown_secrets_authenticate_nobody(session, secret):
    make(session, make_user(session))
    assert api_tokens.authenticate(session, secret, NOW) is None


def test_a_secret_authenticates_its_person(session):
    ada = make_user(session, display_name="Ada")
    token, secret = make(session, ada)
    found = api_tokens.authenticate(session, secret, NOW)
    assert found is not None and found.id == token.id
    assert found.user.display_name == "Ada"
    assert api_tokens.authenticate(session, secret[:-1], NOW) is None


def test_a_token_works_through_its_last_day_only(session):
    _token, secret = make(session, make_user(session), expires_on=TODAY)
    last_moment = datetime.combine(TODAY, datetime.max.time(), tzinfo=UTC)
    assert api_tokens.authenticate(session, secret, last_moment) is not None
    assert api_tokens.authenticate(session, secret, last_moment + timedelta(seconds=1)) is None


def test_a_suspended_persons_token_authenticates_nobody(session):
    ada = make_user(session)
    _token, secret = make(session, ada)
    ada.suspended_at = NOW
    session.flush()
    assert api_tokens.authenticate(session, secret, NOW) is None


def test_the_day_of_last_use_is_written_once_a_day(session, count_queries):
    ada = make_user(session)
    token, secret = make(session, ada)
    session.commit()
    assert token.last_used_on is None
    api_tokens.authenticate(session, secret, NOW)
    assert token.last_used_on == NOW.date()
    session.commit()
    with count_queries() as later_that_day:
        api_tokens.authenticate(session, secret, NOW + timedelta(hours=3))
        session.flush()
    assert not [s for s in later_that_day.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(later_that_day.statements) == 1
    tomorrow = NOW + timedelta(days=1)
    api_tokens.authenticate(session, secret, tomorrow)
    session.commit()
    session.expire_all()
    assert session.get(ApiToken, token.id).last_used_on == tomorrow.date()
