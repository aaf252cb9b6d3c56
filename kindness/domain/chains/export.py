"""A whole chain for download (``.json``, ``.graphml``): every act as one viewer
may see it, and the version that says when a download is still current.

The acts are read as the driver's plain rows in batches (a server-side cursor
on PostgreSQL, SQLite's own stepping cursor) and masked into one small tuple each,
so a chain of 100,000 acts is never held in memory, neither as ORM objects nor
as rows. A forward's parent is always one generation above it, so naming each
act's parent needs the references of the generation above only.

``version`` is what the download depends on, short of the viewer's language:
the chain's acts (how many, and their latest change: every edit, hide,
removal, claim and visibility change stamps ``acts.updated_at``), the names of
its people, the figures of its statistics row and the viewer's masking class.
It costs one aggregate over the chain's acts on the ``root_id`` index (the
table rows are read for ``updated_at``), one read of the chain's people and,
for a signed-in viewer, one of their own contacts in the chain; never the
export itself.
"""

import hashlib
import secrets
from collections.abc import Generator, Iterator
from datetime import date
from functools import cache

from sqlalchemy import Dialect, bindparam, func, select
from sqlalchemy.orm import Session

from kindness.domain.chains.growth import week_of
from kindness.domain.chains.masking import Viewer, can_see, shown_recipient
from kindness.models import Act, ChainMember, ChainStats, Contact, User

# Changes whenever the downloads' content is built differently.
FORMAT = "exports-1"
# Rows fetched from the database at a time.
BATCH = 2000

# One act as the viewer may see it, named as the downloads name its parts, its
# dates in ISO form. A visible act has author, category, date, generation,
# parent, recipient (None: "someone"), ref, week and what; a placeholder has
# generation, parent, placeholder (True), ref and week. The keys come in sorted
# order, so a JSON writer writes them as they come.
Node = dict[str, str | int | bool | None]


@cache
def _rows_statement():
    # The acts alone, from the chain's covering index and the table: the names
    # of their people come from two small lookups (below), not from a join per
    # act, which cost the database about a third more for a big chain.
    return (
        select(
            Act.id,
            Act.ref,
            Act.parent_id,
            Act.depth,
            Act.performed_on,
            Act.author_id,
            Act.what,
            Act.category,
            Act.visibility,
            Act.removed_at.is_not(None),
            Act.hidden_at.is_not(None),
            Act.recipient_id,
            Act.recipient_named,
            Act.contact_id,
        )
        .where(Act.root_id == bindparam("root_id"))
        .order_by(Act.depth, Act.id)
    )


def _people(session: Session, root_id: int) -> dict[int, str | None]:
    """The display names of the chain's people: its root's author and every
    claimed recipient, who are all the authors and named recipients of its acts."""
    return dict(
        session.execute(
            select(User.id, User.display_name)
            .join(ChainMember, ChainMember.user_id == User.id)
            .where(ChainMember.root_id == root_id)
        ).all()
    )


def _contacts(session: Session, root_id: int, user_id: int) -> dict[int, str]:
    """The names in ``user_id``'s own book of the contacts of their acts in the chain."""
    return dict(
        session.execute(
            select(Contact.id, Contact.name).where(
                Contact.owner_id == user_id,
                Contact.id.in_(
                    select(Act.contact_id).where(Act.root_id == root_id, Act.author_id == user_id)
                ),
            )
        ).all()
    )


@cache
def _compiled(dialect: Dialect):
    return _rows_statement().compile(dialect=dialect)


def _batches(session: Session, parameters: dict) -> Generator[list[tuple], None, None]:
    """The rows of the export's statement in batches of ``BATCH``, straight from the
    driver's cursor, in the session's transaction: a chain of 100,000 acts is read
    in a third of the time SQLAlchemy's rows take (their type processing and
    buffering), and on PostgreSQL by a server-side cursor, so the driver holds
    one batch at a time. Dates come as the driver gives them (text on SQLite)."""
    connection = session.connection()
    compiled = _compiled(connection.dialect)
    values = compiled.construct_params(parameters)
    arguments = (
        tuple(values[name] for name in compiled.positiontup) if compiled.positiontup else values
    )
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        cursor = driver.cursor(name=f"chain_export_{secrets.token_hex(4)}")
        cursor.itersize = BATCH
    else:
        cursor = driver.cursor()
    try:
        cursor.execute(str(compiled), arguments)
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


def rows(session: Session, root_id: int, viewer: Viewer) -> Iterator[list[Node]]:
    """Every act of the chain, parents first (by generation, then id), masked for
    the viewer (kindness.domain.chains.masking) as plain dicts, in batches.

    One pass over the driver's rows, with nothing per act that can be done once:
    many acts share a day (its ISO form and its week's are made once), and the
    masking rule is asked once per kind of act (author, visibility, removed,
    hidden), not once per act."""
    me = viewer.user_id
    names = _people(session, root_id)
    contacts = _contacts(session, root_id, me) if me is not None else {}

    def name(user_id: int) -> str | None:
        # Someone who joined the chain after its people were read (a claim in
        # between): read alone, as rarely as that happens.
        if user_id not in names:
            names[user_id] = session.scalar(select(User.display_name).where(User.id == user_id))
        return names[user_id]

    batches = _batches(session, {"root_id": root_id})
    above: dict[int, str] = {}  # the references of the generation above
    level: dict[int, str] = {}  # ... and of this one, so far
    generation = 0
    days: dict[date | str, tuple[str, str]] = {}  # day as read: (its ISO form, its week's)
    seen: dict[tuple, bool] = {}  # (author, visibility, removed, hidden): may the viewer see it
    try:
        for batch in batches:
            nodes: list[Node] = []
            append = nodes.append
            for (
                act_id,
                ref,
                parent_id,
                depth,
                day,
                author_id,
                what,
                category,
                visibility,
                removed,
                hidden,
                recipient_id,
                named,
                contact_id,
            ) in batch:
                if depth != generation:
                    above, level, generation = level, {}, depth
                level[act_id] = ref
                known = days.get(day)
                if known is None:
                    performed_on = date.fromisoformat(day) if isinstance(day, str) else day
                    known = days[day] = (
                        performed_on.isoformat(),
                        week_of(performed_on).isoformat(),
                    )
                parent = above.get(parent_id) if parent_id is not None else None
                kind = (author_id, visibility, removed, hidden)
                visible = seen.get(kind)
                if visible is None:
                    visible = seen[kind] = can_see(viewer, author_id, visibility, removed, hidden)
                if visible:
                    append(
                        {
                            "author": None if author_id is None else name(author_id),
                            "category": category,
                            "date": known[0],
                            "generation": depth,
                            "parent": parent,
                            "recipient": shown_recipient(
                                me is not None and author_id == me,
                                None if contact_id is None else contacts.get(contact_id),
                                recipient_id,
                                named,
                                name(recipient_id) if named and recipient_id is not None else None,
                            ),
                            "ref": ref,
                            "week": known[1],
                            "what": what,
                        }
                    )
                else:
                    append(
                        {
                            "generation": depth,
                            "parent": parent,
                            "placeholder": True,
                            "ref": ref,
                            "week": known[1],
                        }
                    )
            yield nodes
    finally:
        batches.close()


def masking_class(viewer: Viewer) -> str:
    """What sets apart what this viewer may see from what others may: their own
    acts (and contacts) and their team-mates' team acts. Anonymous visitors share
    one class; each signed-in person is a class of their own."""
    if viewer.user_id is None:
        return "anonymous"
    return f"user {viewer.user_id} mates {','.join(map(str, sorted(viewer.team_mates)))}"


def version(session: Session, stats: ChainStats, viewer: Viewer) -> str:
    """A digest of everything the viewer's download of the chain depends on
    (but the language): it changes when any of it does."""
    connection = session.connection()
    acts, last_change = connection.execute(
        select(func.count(Act.id), func.max(Act.updated_at)).where(Act.root_id == stats.root_id)
    ).one()
    digest = hashlib.sha256()
    parts = [
        FORMAT,
        masking_class(viewer),
        stats.root_id,
        acts,
        last_change,
        stats.acts,
        stats.reach,
        stats.generations,
        stats.public_acts,
    ]
    digest.update(repr(parts).encode())
    # The display names of the chain's people (the root's author and every
    # claimed recipient, who author the forwards below them).
    for person in sorted(_people(session, stats.root_id).items()):
        digest.update(repr(tuple(person)).encode())
    if viewer.user_id is not None:
        # The names in the viewer's own book, shown on their own acts.
        for contact in connection.execute(
            select(Contact.id, Contact.name)
            .join(Act, Act.contact_id == Contact.id)
            .where(
                Act.root_id == stats.root_id,
                Act.author_id == viewer.user_id,
                Contact.owner_id == viewer.user_id,
            )
            .order_by(Contact.id)
        ):
            digest.update(repr(tuple(contact)).encode())
    return digest.hexdigest()[:32]
