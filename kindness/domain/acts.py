"""Acts: logging, editing, deleting and listing one's own helpful acts."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any, NoReturn

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    SmallInteger,
    String,
    Text,
    bindparam,
    case,
    func,
    insert,
    select,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import BindParameter

from kindness.domain import contacts, ideas, keyset, outbox, passes
from kindness.domain.chains import statistics
from kindness.domain.errors import InvalidInput, NotFound
from kindness.models import CATEGORIES, VISIBILITIES, Act, ChainStats, Pass, User

WHAT_MIN = 3
WHAT_MAX = 500
NOTE_MAX = 1000
OLDEST_DAYS = 365
PAGE_SIZE = 20
_WITH_CONTACT = selectinload(Act.contact)
# One act per person, each with its own card: a class or a team, not a crowd.
SEVERAL_MAX = 50


@dataclass(frozen=True)
class ActInput:
    """What a person may say about an act; everything but ``what`` has a default.

    ``parent_ref`` makes the act a forward of an act the author received.
    """

    what: str
    performed_on: date | None = None
    contact_id: int | None = None
    new_contact_name: str | None = None
    category: str = "other"
    visibility: str = "private"
    note: str | None = None
    parent_ref: str | None = None


@dataclass(frozen=True)
class HistoryFilter:
    contact_id: int | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    visibility: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[Act]
    number: int
    pages: int
    total: int


def _clean_what(what: str) -> str:
    what = (what or "").strip()
    if len(what) < WHAT_MIN or len(what) > WHAT_MAX:
        raise InvalidInput(
            _l("Say in %(min)d to %(max)d characters what you did.", min=WHAT_MIN, max=WHAT_MAX),
            "what",
        )
    return what


def _check_date(performed_on: date, today: date) -> date:
    if performed_on > today:
        raise InvalidInput(_l("An act cannot be dated in the future."), "performed_on")
    if performed_on < today - timedelta(days=OLDEST_DAYS):
        raise InvalidInput(_l("An act can be dated at most a year back."), "performed_on")
    return performed_on


def check_forward_date(performed_on: date, parent_on: date) -> None:
    """A forward is never dated before the act it passes on."""
    if performed_on < parent_on:
        raise InvalidInput(
            _l("A forward cannot be dated before the act it passes on."), "performed_on"
        )


def people_helped() -> ColumnElement[int]:
    """How many people a set of acts helped: each contact once, and each act with
    no contact named as one more person (nobody is known to be helped twice)."""
    return func.count(func.distinct(Act.contact_id)) + func.coalesce(
        func.sum(case((Act.contact_id.is_(None), 1), else_=0)), 0
    )


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=NOTE_MAX), "note")
    return note or None


def _checked(
    session: Session, author: User, data: ActInput, today: date, kept_on: date | None = None
) -> dict[str, Any]:
    """The act's own fields from ``data``, every one checked before anything is
    written, so that a refused input changes nothing. ``kept_on`` is the date of
    an act being edited: kept as it is unless a new date is given."""
    what = _clean_what(data.what)
    if kept_on is not None and data.performed_on in (None, kept_on):
        # Editing an old act keeps its date; only a new date is checked.
        performed_on = kept_on
    else:
        performed_on = _check_date(data.performed_on or today, today)
    if data.category not in CATEGORIES:
        raise InvalidInput(_l("Choose one of the categories."), "category")
    if data.visibility not in VISIBILITIES:
        raise InvalidInput(_l("Choose who may see this act."), "visibility")
    note = _clean_note(data.note)
    contact_id = None
    if data.contact_id is not None:
        try:
            contact_id = contacts.get_own(session, author, data.contact_id).id
        except NotFound:
            raise InvalidInput(_l("Choose one of your contacts."), "contact_id") from None
    elif data.new_contact_name and data.new_contact_name.strip():
        try:
            contact_id = contacts.find_or_add(session, author, data.new_contact_name).id
        except InvalidInput as error:
            raise InvalidInput(error.message, "new_contact_name") from None
    return {
        "what": what,
        "performed_on": performed_on,
        "contact_id": contact_id,
        "category": data.category,
        "visibility": data.visibility,
        "note": note,
    }


def _apply(session: Session, author: User, act: Act, data: ActInput, today: date) -> None:
    """Check every field first, then write them onto ``act`` (an edit)."""
    for name, value in _checked(session, author, data, today, act.performed_on).items():
        setattr(act, name, value)


def _may_pass_on(author: User, recipient_id: int | None) -> None:
    """Only the person who received an act may pass it on."""
    if recipient_id != author.id:
        raise InvalidInput(_l("You can only pass on kindness you received."), "parent_ref")


def received_parent(session: Session, author: User, parent_ref: str) -> Act:
    """The act ``author`` received and may pass on, by its public reference."""
    parent = session.scalar(select(Act).where(Act.ref == parent_ref))
    if parent is None:
        raise InvalidInput(_l("You can only pass on kindness you received."), "parent_ref")
    _may_pass_on(author, parent.recipient_id)
    return parent


@cache
def _parent_statement():
    # Only what a forward takes from its parent, not the whole row.
    return select(Act.id, Act.root_id, Act.depth, Act.performed_on, Act.recipient_id).where(
        Act.ref == bindparam("ref")
    )


# The fields of an act that come from the person (``_checked``) and its author.
_OWN_FIELDS = {
    "what": String,
    "performed_on": Date,
    "contact_id": Integer,
    "category": String,
    "visibility": String,
    "note": Text,
    "idea_number": SmallInteger,
    "author_id": Integer,
}


@cache
def _insert_statement():
    # An ORM-enabled INSERT ... RETURNING: the new act comes back as a loaded Act
    # in the session, without a unit-of-work flush (the costliest part of a
    # forward under load, bench/concurrency.py).
    return insert(Act).returning(Act).execution_options(dml_strategy="orm")


@cache
def _forward_statement():
    """A forward's insert, taking parent, chain and depth from the parent it names,
    and only if the rules of passing on hold: the parent was received by the author
    and is not dated after the forward. A conditional insert, checked by the row it
    returns (as the claim's conditional UPDATE is by its rowcount): one statement
    where a read of the parent and an insert would be two round trips."""
    parent = Act.__table__.alias("parent")
    own: dict[str, BindParameter[Any]] = {
        name: bindparam(name, type_=kind) for name, kind in _OWN_FIELDS.items()
    }
    return (
        insert(Act)
        .from_select(
            [*own, "parent_id", "root_id", "depth"],
            select(*own.values(), parent.c.id, parent.c.root_id, parent.c.depth + 1).where(
                parent.c.ref == bindparam("parent_ref", type_=String),
                parent.c.recipient_id == own["author_id"],
                parent.c.performed_on <= own["performed_on"],
            ),
        )
        .returning(Act)
        # One row's parameters, as they are (not the ORM's bulk insert of
        # dicts), and the RETURNING row loaded as an Act.
        .execution_options(dml_strategy="orm")
    )


def _refuse_forward(
    session: Session, author: User, parent_ref: str, performed_on: date
) -> NoReturn:
    """Say which rule of passing on a refused forward broke (a read made only then)."""
    parent = session.connection().execute(_parent_statement(), {"ref": parent_ref}).first()
    if parent is not None:
        _may_pass_on(author, parent.recipient_id)
        check_forward_date(performed_on, parent.performed_on)
    raise InvalidInput(_l("You can only pass on kindness you received."), "parent_ref")


@cache
def _name_chain_statement():
    # ``updated_at`` is kept: naming the chain completes the insert, it is no edit.
    return (
        sql_update(Act)
        .where(Act.id == bindparam("act_id"))
        .values(root_id=bindparam("act_id"), updated_at=bindparam("updated_at"))
    )


def log(
    session: Session,
    author: User,
    data: ActInput,
    today: date,
    *,
    idea_number: int | None = None,
) -> Act:
    """Record an act of ``author`` (a forward when it names a parent); ``today`` is
    the author's local date. ``idea_number`` is the idea it came from (a "Log this"
    link), so that the person is not offered that idea again.

    A forward is three statements whatever its depth (and no unit-of-work flush):
    the conditional insert that reads its parent, its chain's figures and the
    outbox row of the "it travelled" job."""
    if idea_number is not None and ideas.by_number(idea_number) is None:
        raise InvalidInput(_l("We do not know that idea."), "idea_number")
    values = _checked(session, author, data, today)
    values.update(author_id=author.id, idea_number=idea_number)
    if data.parent_ref:
        act = session.scalars(
            _forward_statement(), {**values, "parent_ref": data.parent_ref}
        ).one_or_none()
        if act is None:
            _refuse_forward(session, author, data.parent_ref, values["performed_on"])
        statistics.record_forward(session, act)
        # The authors above hear of it from a job, after the commit: a long chain's
        # fan-out (and its mail) must not hold up the request.
        outbox.later(session, "travelled", act_id=act.id)
        return act
    act = session.scalars(_insert_statement(), {**values, "depth": 0}).one()
    # A root's chain is named after itself; its id exists only after the insert.
    session.connection().execute(
        _name_chain_statement(), {"act_id": act.id, "updated_at": act.updated_at}
    )
    set_committed_value(act, "root_id", act.id)
    statistics.record_root(session, act)
    return act


def log_for_several(
    session: Session,
    author: User,
    data: ActInput,
    names: list[str],
    unnamed: int,
    today: date,
    show_text: bool = False,
) -> list[tuple[Act, Pass]]:
    """Log the same act for several people at once: one act per person (each named
    one becomes or reuses a contact, the others stay unnamed), each with its own
    pass-it-on card, in the caller's transaction. Every name is checked before
    anything is written, so a refused input logs nothing."""
    names = [" ".join(name.split()) for name in names if name and name.strip()]
    unnamed = max(0, unnamed)
    count = len(names) + unnamed
    if count == 0:
        raise InvalidInput(_l("Name at least one person, or say how many people."), "names")
    if count > SEVERAL_MAX:
        raise InvalidInput(
            _l(
                "You can log an act for at most %(max)d people at once; this was %(count)d.",
                max=SEVERAL_MAX,
                count=count,
            ),
            "names",
        )
    for name in names:
        if len(name) > contacts.NAME_MAX:
            raise InvalidInput(
                _l("Each name may have at most %(count)d characters.", count=contacts.NAME_MAX),
                "names",
            )
    # The shared fields are checked once, before the first act is written.
    base = replace(data, contact_id=None, new_contact_name=None, parent_ref=None)
    _checked(session, author, base, today)
    made = []
    people: list[str | None] = [*names, *([None] * unnamed)]
    for person in people:
        act = log(session, author, replace(base, new_contact_name=person), today)
        made.append((act, passes.create(session, act, show_text=show_text)))
    return made


def get_own(
    session: Session, author: User, act_id: int, loads: tuple[Any, ...] = (_WITH_CONTACT,)
) -> Act:
    """Return the author's act as stored (with the relationships ``loads`` names),
    or raise NotFound for anyone else's."""
    act = session.scalar(
        select(Act)
        .options(*loads)
        .where(Act.id == act_id)
        # Read afresh: after an edit, its contact is the one it now names.
        .execution_options(populate_existing=True)
    )
    if act is None or act.author_id != author.id:
        raise NotFound()
    return act


def update(session: Session, author: User, act_id: int, data: ActInput, today: date) -> Act:
    act = get_own(session, author, act_id)
    before = (act.performed_on, act.visibility)
    _apply(session, author, act, data, today)
    _check_place_in_chain(session, act)
    session.flush()
    if (act.performed_on, act.visibility) != before:
        statistics.recompute(session, act.root_id)
    return act


def _check_place_in_chain(session: Session, act: Act) -> None:
    """A forward is never dated before its parent, nor after its own forwards."""
    if act.parent_id is not None:
        parent_on = session.scalars(select(Act.performed_on).where(Act.id == act.parent_id)).one()
        check_forward_date(act.performed_on, parent_on)
    earliest_child = session.scalar(
        select(func.min(Act.performed_on)).where(Act.parent_id == act.id)
    )
    if earliest_child is not None and act.performed_on > earliest_child:
        raise InvalidInput(
            _l("This act was passed on already; it cannot be dated after its forwards."),
            "performed_on",
        )


def has_forwards(session: Session, act_id: int) -> bool:
    return session.scalar(select(Act.id).where(Act.parent_id == act_id).limit(1)) is not None


def remove(session: Session, act: Act, recompute: bool = True) -> None:
    """Take an act out of its chain: a leaf goes, an act with forwards becomes an
    anonymous placeholder so that the chain stays whole. ``recompute`` False
    leaves the chain's figures to the caller (who removes many acts at once)."""
    root_id = act.root_id
    if has_forwards(session, act.id):
        act.what = None
        act.note = None
        act.contact_id = None
        act.author_id = None
        act.removed_at = datetime.now(UTC)
        session.execute(
            sql_update(Pass)
            .where(Pass.act_id == act.id, Pass.claimed_at.is_(None), Pass.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC))
        )
        session.flush()
        if recompute:
            statistics.recompute(session, root_id)
    elif act.id == root_id:
        # A chain of one: its figures go with it.
        session.execute(sql_delete(ChainStats).where(ChainStats.root_id == act.id))
        session.delete(act)
        session.flush()
    else:
        parent_id = act.parent_id
        session.delete(act)
        session.flush()
        _drop_bare_placeholders(session, parent_id)
        if recompute:
            statistics.recompute(session, root_id)


def _drop_bare_placeholders(session: Session, act_id: int | None) -> None:
    """A placeholder only holds a chain together; once nothing hangs below it, it goes."""
    while act_id is not None:
        act = session.get(Act, act_id)
        if act is None or not act.is_placeholder or has_forwards(session, act.id):
            return
        act_id = act.parent_id
        if act.id == act.root_id:
            session.execute(sql_delete(ChainStats).where(ChainStats.root_id == act.id))
        session.delete(act)
        session.flush()


def delete(session: Session, author: User, act_id: int) -> None:
    remove(session, get_own(session, author, act_id))


def _filtered(query: Select, author: User, filters: HistoryFilter) -> Select:
    query = query.where(Act.author_id == author.id)
    if filters.contact_id is not None:
        query = query.where(Act.contact_id == filters.contact_id)
    if filters.category:
        query = query.where(Act.category == filters.category)
    if filters.date_from:
        query = query.where(Act.performed_on >= filters.date_from)
    if filters.date_to:
        query = query.where(Act.performed_on <= filters.date_to)
    if filters.visibility:
        query = query.where(Act.visibility == filters.visibility)
    return query


def check_filter(session: Session, author: User, filters: HistoryFilter) -> None:
    """Filters name one's own contacts, a known category and visibility: any
    other contact is refused exactly like one that does not exist."""
    if filters.contact_id is not None:
        try:
            contacts.get_own(session, author, filters.contact_id)
        except NotFound:
            raise InvalidInput(_l("Choose one of your contacts."), "contact") from None
    if filters.category is not None and filters.category not in CATEGORIES:
        raise InvalidInput(_l("Choose one of the categories."), "category")
    if filters.visibility is not None and filters.visibility not in VISIBILITIES:
        raise InvalidInput(_l("Choose who may see this act."), "visibility")


def after(
    session: Session,
    author: User,
    filters: HistoryFilter,
    last: tuple[date, int] | None,
    limit: int,
    loads: tuple[Any, ...] = (_WITH_CONTACT,),
) -> list[Act]:
    """Up to ``limit`` of the author's acts, newest first (by date, then id), that
    come after ``last`` (the date and id of the last act shown; None: from the
    newest). Keyset pagination: a page costs the same however deep it is."""
    check_filter(session, author, filters)
    query = _filtered(select(Act), author, filters).options(*loads)
    if last is not None:
        query = query.where(keyset.after_descending((Act.performed_on, Act.id), last))
    return list(
        session.scalars(query.order_by(Act.performed_on.desc(), Act.id.desc()).limit(limit))
    )


def history(
    session: Session, author: User, filters: HistoryFilter, page: int = 1, size: int = PAGE_SIZE
) -> Page:
    """The author's acts, newest first, one page of them, in two queries."""
    total = session.scalar(_filtered(select(func.count(Act.id)), author, filters)) or 0
    pages = max(1, -(-total // size))
    number = min(max(1, page), pages)
    items = session.scalars(
        _filtered(select(Act), author, filters)
        .options(selectinload(Act.contact))
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(size)
        .offset((number - 1) * size)
    ).all()
    return Page(items=list(items), number=number, pages=pages, total=total)


def recent(session: Session, author: User, limit: int = 5) -> list[Act]:
    return list(
        session.scalars(
            select(Act)
            .options(selectinload(Act.contact))
            .where(Act.author_id == author.id)
            .order_by(Act.performed_on.desc(), Act.id.desc())
            .limit(limit)
        )
    )


def for_contact(session: Session, author: User, contact_id: int) -> list[Act]:
    return list(
        session.scalars(
            select(Act)
            .options(selectinload(Act.contact))
            .where(Act.author_id == author.id, Act.contact_id == contact_id)
            .order_by(Act.performed_on.desc(), Act.id.desc())
        )
    )
