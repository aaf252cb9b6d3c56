"""Pass-it-on links: made by an act's author, claimed once by its recipient.

The claim code (128 bits from ``secrets``) proves that you hold the card; it is
never shown on a public page, where acts go by their separate ``ref``.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.orm import Session, selectinload

from kindness.domain import inbox
from kindness.domain.chains import statistics
from kindness.domain.errors import NotFound, RuleViolation
from kindness.models import Act, Pass, User

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


def new_code() -> str:
    return secrets.token_urlsafe(16)


def open_pass(session: Session, act_id: int) -> Pass | None:
    """The act's link that is neither claimed nor revoked, if any."""
    return session.scalar(
        select(Pass).where(
            Pass.act_id == act_id, Pass.claimed_at.is_(None), Pass.revoked_at.is_(None)
        )
    )


def can_pass_on(act: Act) -> bool:
    """Whether the author may (still) hand out a card: not once it is claimed, nor
    while a moderator has hidden the act, nor for a placeholder."""
    return act.recipient_id is None and act.hidden_at is None and act.removed_at is None


def create(session: Session, act: Act, show_text: bool | None) -> Pass:
    """Make (or return) the open link of an act its author still may pass on.

    ``show_text`` None keeps an open card as it is (a new one shows no text)."""
    # Lock the act, so that two requests at once cannot both make a link.
    session.execute(select(Act.id).where(Act.id == act.id).with_for_update())
    if act.recipient_id is not None:
        raise RuleViolation(_l("Someone has claimed this act already."))
    if act.hidden_at is not None or act.removed_at is not None:
        raise RuleViolation(_l("A moderator has hidden this act; it cannot be passed on."))
    existing = open_pass(session, act.id)
    if existing is not None:
        if show_text is not None:
            existing.show_text = show_text
            session.flush()
        return existing
    link = Pass(act_id=act.id, code=new_code(), show_text=bool(show_text))
    session.add(link)
    session.flush()
    return link


@dataclass(frozen=True)
class AuthorCard:
    """The card of an act as its author sees it: open, claimed (by whom, if they
    chose to be named) or withdrawn."""

    link: Pass
    state: str  # "open", "claimed" or "revoked"
    claimed_by: str | None = None  # the claimer's display name, when they chose to be named


def author_card(session: Session, act: Act) -> AuthorCard | None:
    """The card its author sees for ``act``: the claimed one, else the open one, else
    the last one withdrawn; None when the act never had a card."""
    links = session.scalars(
        select(Pass).where(Pass.act_id == act.id).order_by(Pass.id.desc())
    ).all()
    claimed = next((link for link in links if link.claimed_at is not None), None)
    if claimed is not None:
        name = None
        if act.recipient_named and claimed.claimed_by_id is not None:
            claimer = session.get(User, claimed.claimed_by_id)
            name = claimer.display_name if claimer is not None else None
        return AuthorCard(claimed, "claimed", name)
    opened = next((link for link in links if link.revoked_at is None), None)
    if opened is not None:
        return AuthorCard(opened, "open")
    return AuthorCard(links[0], "revoked") if links else None


def open_cards(session: Session, author: User, act_ids: list[int]) -> list[tuple[Act, Pass]]:
    """The open cards of the author's acts among ``act_ids``, in the order given.

    Any id that is not one of the author's acts is NotFound: a sheet of cards
    never shows, nor confirms, someone else's act."""
    wanted = list(dict.fromkeys(act_ids))
    if not wanted:
        raise NotFound()
    rows = session.execute(
        select(Act, Pass)
        .options(selectinload(Act.contact))
        .outerjoin(
            Pass,
            (Pass.act_id == Act.id) & Pass.claimed_at.is_(None) & Pass.revoked_at.is_(None),
        )
        .where(Act.id.in_(wanted), Act.author_id == author.id)
    ).all()
    found = {act.id: (act, link) for act, link in rows}
    if len(found) != len(wanted):
        raise NotFound()
    return [
        (act, link)
        for act, link in (found[act_id] for act_id in wanted)
        if link is not None and can_pass_on(act)
    ]


def revoke(session: Session, act: Act) -> None:
    link = open_pass(session, act.id)
    if link is None:
        raise RuleViolation(_l("This act has no open pass-it-on link."))
    link.revoked_at = datetime.now(UTC)
    session.flush()


def find_open(session: Session, code: str) -> tuple[Pass, Act]:
    """The open link of a code and its act; unknown, revoked and used codes are NotFound."""
    if not CODE_PATTERN.match(code or ""):
        raise NotFound()
    row = session.execute(
        select(Pass, Act)
        .join(Act, Act.id == Pass.act_id)
        .where(Pass.code == code, Pass.claimed_at.is_(None), Pass.revoked_at.is_(None))
    ).first()
    if row is None or row[1].removed_at is not None:
        raise NotFound()
    return row[0], row[1]


def claim(session: Session, code: str, user: User, named: bool) -> Act:
    """Make ``user`` the recipient of the act behind ``code``: once, and never the author."""
    link, act = find_open(session, code)
    if act.author_id == user.id:
        raise RuleViolation(_l("This is your own act: pass the card on to the person you helped."))
    now = datetime.now(UTC)
    # A conditional update is the claim itself: of two simultaneous claims exactly
    # one changes the row; the other finds it claimed (PostgreSQL waits for the
    # first transaction, then re-checks the condition).
    claimed = _execute_update(
        session,
        update(Pass)
        .where(Pass.id == link.id, Pass.claimed_at.is_(None), Pass.revoked_at.is_(None))
        .values(claimed_at=now, claimed_by_id=user.id)
        .execution_options(synchronize_session=False),
    )
    if claimed.rowcount != 1:
        raise RuleViolation(_l("Someone has just claimed this card."))
    taken = _execute_update(
        session,
        update(Act)
        .where(Act.id == act.id, Act.recipient_id.is_(None))
        .values(recipient_id=user.id, recipient_named=named)
        .execution_options(synchronize_session=False),
    )
    if taken.rowcount != 1:
        raise RuleViolation(_l("Someone has just claimed this card."))
    session.refresh(act)
    statistics.record_claim(session, act, user.id)
    inbox.notify_claimed(session, act)
    return act


def _execute_update(session: Session, statement: Update) -> CursorResult[Any]:
    # An UPDATE's result is a cursor result, whose rowcount Session.execute's type hides.
    return cast(CursorResult[Any], session.execute(statement))


@dataclass(frozen=True)
class Received:
    act: Act
    # The recipient reads the text when the card showed it or the act is public.
    text_shown: bool


def received(session: Session, user: User) -> list[Received]:
    """Acts the user claimed, newest first, in one query."""
    rows = session.execute(
        select(Act, Pass.show_text)
        .outerjoin(Pass, (Pass.act_id == Act.id) & (Pass.claimed_by_id == user.id))
        .where(Act.recipient_id == user.id)
        .order_by(Act.performed_on.desc(), Act.id.desc())
    ).all()
    return [
        Received(
            act=act,
            text_shown=act.removed_at is None
            and act.hidden_at is None
            and (bool(show_text) or act.visibility == "public"),
        )
        for act, show_text in rows
    ]
