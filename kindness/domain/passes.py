"""Pass-it-on links: made by an act's author, claimed once by its recipient.

The claim code (128 bits from ``secrets``) proves that you hold the card; it is
never shown on a public page, where acts go by their separate ``ref``.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, CursorResult, Update, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from kindness.domain import inbox
from kindness.domain.chains import statistics
from kindness.domain.errors import NotFound, RuleViolation
from kindness.domain.keyset import after_descending
from kindness.models import Act, ChainStats, Pass, Thanks, User

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


def cards_of(session: Session, author: User) -> list[AuthorCard]:
    """Every card the author ever made, oldest first, each as they see it: open,
    claimed (by whom, if the claimer chose to be named) or withdrawn."""
    return _author_cards(session, author, Pass.created_at, Pass.id)


def cards_page(
    session: Session, author: User, after_id: int | None, limit: int
) -> list[AuthorCard]:
    """``limit`` of the author's cards, newest first, after the card ``after_id``."""
    where = [Pass.id < after_id] if after_id is not None else []
    return _author_cards(session, author, Pass.id.desc(), where=where, limit=limit)


def _author_cards(
    session: Session,
    author: User,
    *order_by: Any,
    where: list[ColumnElement[bool]] | None = None,
    limit: int | None = None,
) -> list[AuthorCard]:
    rows = session.execute(
        select(Pass, Act.recipient_named, User.display_name)
        .join(Act, Act.id == Pass.act_id)
        .outerjoin(User, User.id == Pass.claimed_by_id)
        .where(Act.author_id == author.id, *(where or []))
        .order_by(*order_by)
        .limit(limit)
    ).all()
    return [
        AuthorCard(
            link,
            "claimed" if link.claimed_at is not None else "revoked" if link.revoked_at else "open",
            name if link.claimed_at is not None and named else None,
        )
        for link, named, name in rows
    ]


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


def revoke(session: Session, act: Act) -> Pass:
    """Withdraw the act's open link; returns it, revoked."""
    link = open_pass(session, act.id)
    if link is None:
        raise RuleViolation(_l("This act has no open pass-it-on link."))
    link.revoked_at = datetime.now(UTC)
    session.flush()
    return link


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


# What a card is now, as /p/<code> tells it. "withdrawn": revoked by its giver, or
# the act was removed; "hidden": a moderator hid the act; "suspended": its giver is
# suspended. Only an "open" card can be claimed.
CARD_STATES: tuple[str, ...] = ("open", "claimed", "withdrawn", "hidden", "suspended")


class CardClaimed(RuleViolation):
    """The card was claimed already (perhaps a moment ago, by someone else)."""

    def __init__(self) -> None:
        super().__init__(_l("This card has already been claimed."))


@dataclass(frozen=True)
class Card:
    """A card as anyone holding its code may learn it: never who claimed it unless
    they chose to be named, never the act's text unless the card shows it."""

    link: Pass
    act: Act
    state: str
    author_id: int | None
    claimed_by_id: int | None
    # The claimer's display name when they chose to be named, else None ("someone").
    claimer_name: str | None
    # The chain has a public act: anonymous visitors may see it too.
    public_chain: bool

    @property
    def text_shown(self) -> bool:
        return self.link.show_text and self.state in ("open", "claimed") and not self.act.hidden_at


def card(session: Session, code: str) -> Card:
    """The card behind a code, whatever became of it; an unknown code is NotFound."""
    if not CODE_PATTERN.match(code or ""):
        raise NotFound()
    author = aliased(User)
    claimer = aliased(User)
    row = session.execute(
        select(
            Pass,
            Act,
            author.suspended_at,
            claimer.display_name,
            ChainStats.public_acts,
        )
        .join(Act, Act.id == Pass.act_id)
        .outerjoin(author, author.id == Act.author_id)
        .outerjoin(claimer, claimer.id == Pass.claimed_by_id)
        .outerjoin(ChainStats, ChainStats.root_id == Act.root_id)
        .where(Pass.code == code)
    ).first()
    if row is None:
        raise NotFound()
    link, act, suspended_at, claimer_display_name, public_acts = row
    # A claim stands whatever happens to the act later: its claimer still reads
    # when they claimed it, even after the giver deleted an act with forwards.
    if link.claimed_at is not None:
        state = "claimed"
    elif link.revoked_at is not None or act.removed_at is not None:
        state = "withdrawn"
    elif suspended_at is not None:
        state = "suspended"
    elif act.hidden_at is not None:
        state = "hidden"
    else:
        state = "open"
    named = link.claimed_by_id is not None and act.recipient_id == link.claimed_by_id
    return Card(
        link=link,
        act=act,
        state=state,
        author_id=act.author_id,
        claimed_by_id=link.claimed_by_id,
        claimer_name=claimer_display_name if named and act.recipient_named else None,
        public_chain=bool(public_acts),
    )


REFUSALS = {
    "withdrawn": _l("Its giver withdrew this card."),
    "hidden": _l("This card cannot be claimed: the moderators have hidden its act."),
    "suspended": _l("This card cannot be claimed: its giver's account is suspended."),
}


def claim(session: Session, code: str, user: User, named: bool) -> Act:
    """Make ``user`` the recipient of the act behind ``code``: once, and never the author.

    Every refusal is a domain error and writes nothing; the one who comes second
    to a card, at once or later, gets ``CardClaimed``.
    """
    found = card(session, code)
    if found.state == "claimed":
        raise CardClaimed()
    if found.state != "open":
        raise RuleViolation(REFUSALS[found.state])
    link, act = found.link, found.act
    if act.author_id == user.id:
        raise RuleViolation(_l("This is your own act: pass the card on to the person you helped."))
    now = datetime.now(UTC)
    # A conditional update is the claim itself: of two simultaneous claims exactly
    # one changes the row; the other finds it claimed (PostgreSQL waits for the
    # first transaction, then re-checks the condition). The loser has written
    # nothing, so its request may go on (a sign-up that came with the claim stays).
    claimed = _execute_update(
        session,
        update(Pass)
        .where(Pass.id == link.id, Pass.claimed_at.is_(None), Pass.revoked_at.is_(None))
        .values(claimed_at=now, claimed_by_id=user.id)
        .execution_options(synchronize_session=False),
    )
    if claimed.rowcount != 1:
        raise CardClaimed()
    taken = _execute_update(
        session,
        update(Act)
        .where(Act.id == act.id, Act.recipient_id.is_(None))
        .values(recipient_id=user.id, recipient_named=named)
        .execution_options(synchronize_session=False),
    )
    if taken.rowcount != 1:
        # Cannot happen while an act has at most one open link (``create`` locks the
        # act); the boundary rolls the pass's update back with the rest.
        raise CardClaimed()
    session.refresh(act)
    session.refresh(link)
    statistics.record_claim(session, act, user.id)
    inbox.notify_claimed(session, act)
    return act


def set_named(session: Session, user: User, act_ref: str, named: bool) -> Act:
    """Change whether the recipient's display name shows in the chain (no un-claiming:
    the chain keeps its shape)."""
    act = _received_act(session, user, act_ref)
    act.recipient_named = named
    session.flush()
    return act


def _received_act(session: Session, user: User, act_ref: str) -> Act:
    act = session.scalar(select(Act).where(Act.ref == (act_ref or "")[:16]))
    if act is None or act.recipient_id != user.id:
        raise NotFound()
    return act


def _execute_update(session: Session, statement: Update) -> CursorResult[Any]:
    # An UPDATE's result is a cursor result, whose rowcount Session.execute's type hides.
    return cast(CursorResult[Any], session.execute(statement))


@dataclass(frozen=True)
class Received:
    act: Act
    # The recipient reads the text when the card showed it or the act is public.
    text_shown: bool
    # The giver's display name (None: "someone", e.g. a removed act).
    giver_name: str | None
    claimed_at: datetime | None
    thanks: Thanks | None

    @property
    def what(self) -> str | None:
        """The act's text where the recipient may read it, else None."""
        return self.act.what if self.text_shown else None


def received(session: Session, user: User) -> list[Received]:
    """Acts the user claimed, newest first, with giver and thank-you, in one query."""
    return _received(session, user)


def received_page(
    session: Session, user: User, after: tuple[date, int] | None, limit: int
) -> list[Received]:
    """``limit`` acts the user claimed, newest first, after the one whose
    (performed_on, id) is ``after``; one query."""
    where = [after_descending((Act.performed_on, Act.id), after)] if after is not None else []
    return _received(session, user, *where, limit=limit)


def received_act(session: Session, user: User, act_id: int) -> Received:
    """One act the user claimed, as the Received page shows it."""
    found = _received(session, user, Act.id == act_id)
    if not found:
        raise NotFound()
    return found[0]


def _received(
    session: Session, user: User, *where: ColumnElement[bool], limit: int | None = None
) -> list[Received]:
    rows = session.execute(
        select(Act, Pass.show_text, Pass.claimed_at, User.display_name, Thanks)
        .outerjoin(Pass, (Pass.act_id == Act.id) & (Pass.claimed_by_id == user.id))
        .outerjoin(User, User.id == Act.author_id)
        .outerjoin(Thanks, (Thanks.act_id == Act.id) & (Thanks.writer_id == user.id))
        .where(Act.recipient_id == user.id, *where)
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(limit)
    ).all()
    return [
        Received(
            act=act,
            text_shown=act.removed_at is None
            and act.hidden_at is None
            and (bool(show_text) or act.visibility == "public"),
            giver_name=giver_name if act.removed_at is None else None,
            claimed_at=claimed_at,
            thanks=thanks,
        )
        for act, show_text, claimed_at, giver_name, thanks in rows
    ]
