"""A claim that waits for its claimer to sign up or log in.

A visitor who opens a card and chooses "sign up and claim" (or "log in and
claim") leaves the card's code and their name choice in the signed session
cookie; the sign-up or log-in that follows claims the card at once, so closing
the tab afterwards loses nothing. The code is checked again on the way back,
and a refused claim (claimed meanwhile, withdrawn, hidden, one's own act)
lands on the card's page, which tells its state.
"""

from dataclasses import dataclass

from flask import flash, session, url_for
from flask_babel import gettext as _

from kindness.domain import passes
from kindness.domain.errors import DomainError, NotFound
from kindness.models import User
from kindness.sessions import get_session

KEY = "pending_claim"


@dataclass(frozen=True)
class PendingClaim:
    code: str
    named: bool

    @property
    def path(self) -> str:
        return url_for("passes.landing", code=self.code)


def remember(code: str, named: bool) -> None:
    session[KEY] = {"code": code, "named": bool(named)}


def take(next_path: str | None) -> PendingClaim | None:
    """The claim waiting in this session, removed from it; only when the form
    goes back to that card (a stale one from another visit is dropped)."""
    value = session.pop(KEY, None)
    if not isinstance(value, dict):
        return None
    code, named = value.get("code"), value.get("named")
    if not isinstance(code, str) or not passes.CODE_PATTERN.match(code):
        return None
    pending = PendingClaim(code=code, named=named is True)
    return pending if next_path == pending.path else None


def finish(pending: PendingClaim, user: User) -> str:
    """Claim the card for the person who just signed up or logged in; where to go next.

    The claim runs in a savepoint: a refusal undoes the claim alone, never the
    sign-up or log-in around it (which the request boundary then commits).
    """
    db_session = get_session()
    try:
        with db_session.begin_nested():
            passes.claim(db_session, pending.code, user, named=pending.named)
    except NotFound:
        flash(_("This card does not exist (any more)."), "error")
        return url_for("main.index")
    except DomainError as refusal:
        flash(str(refusal.message), "error")
    else:
        flash(_("It is yours now. When the moment comes, pass it on."), "success")
    return pending.path
