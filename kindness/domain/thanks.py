"""Thank-you notes: a recipient may leave one short note for the giver of an act
they claimed. Never an obligation, private to the two (in no chain, chain download
or listing; only in the two people's own data exports), deletable by its writer,
reportable by the giver."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import THANKS_MAX, Act, Thanks, User


def write(session: Session, writer: User, act_ref: str, text: str | None) -> Thanks:
    """Leave a note for the giver of an act ``writer`` received."""
    act = session.scalar(select(Act).where(Act.ref == (act_ref or "")[:16]))
    if act is None or act.recipient_id != writer.id:
        raise NotFound()
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_l("Write a few words, or leave it: a thank-you is never owed."), "text")
    if len(text) > THANKS_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=THANKS_MAX), "text")
    if act.author_id is None or act.removed_at is not None:
        raise RuleViolation(_l("The giver of this act is no longer here to read a note."))
    if session.scalar(select(Thanks.id).where(Thanks.act_id == act.id)) is not None:
        raise RuleViolation(
            _l("You have thanked for this already. Delete that note to write another.")
        )
    note = Thanks(act_id=act.id, writer_id=writer.id, giver_id=act.author_id, text=text)
    session.add(note)
    session.flush()
    return note


def delete(session: Session, writer: User, thanks_id: int) -> None:
    """Delete a note: only its writer may; for anyone else it does not exist."""
    note = session.get(Thanks, thanks_id)
    if note is None or note.writer_id != writer.id:
        raise NotFound()
    session.delete(note)
    session.flush()


def for_giver(session: Session, giver: User, thanks_id: int) -> Thanks:
    """A note the giver received (anyone else: NotFound)."""
    note = session.get(Thanks, thanks_id)
    if note is None or note.giver_id != giver.id:
        raise NotFound()
    return note


def written(session: Session, writer: User, act_id: int) -> Thanks | None:
    """The note ``writer`` left on an act, if any."""
    return session.scalar(
        select(Thanks).where(Thanks.act_id == act_id, Thanks.writer_id == writer.id)
    )


@dataclass(frozen=True)
class Note:
    """A note as one of its two people sees it, with the act it thanks for."""

    thanks: Thanks
    act_ref: str
    # The other person's display name as the pages show it (None: "someone"):
    # the giver's while their act is there, the writer's when they chose to be named.
    other_name: str | None


def sent(session: Session, writer: User) -> list[Note]:
    """Every note ``writer`` left, oldest first, with its giver's name."""
    rows = session.execute(
        select(Thanks, Act.ref, Act.removed_at, User.display_name)
        .join(Act, Act.id == Thanks.act_id)
        .outerjoin(User, User.id == Thanks.giver_id)
        .where(Thanks.writer_id == writer.id)
        .order_by(Thanks.created_at, Thanks.id)
    ).all()
    return [
        Note(note, ref, name if removed_at is None else None)
        for note, ref, removed_at, name in rows
    ]


def received(session: Session, giver: User) -> list[Note]:
    """Every note ``giver`` received, oldest first, with its writer's name when the
    writer chose to be named on the act."""
    rows = session.execute(
        select(Thanks, Act.ref, User.display_name)
        .join(Act, Act.id == Thanks.act_id)
        .outerjoin(
            User,
            (User.id == Thanks.writer_id)
            & (Act.recipient_id == Thanks.writer_id)
            & Act.recipient_named.is_(True),
        )
        .where(Thanks.giver_id == giver.id)
        .order_by(Thanks.created_at, Thanks.id)
    ).all()
    return [Note(note, ref, name) for note, ref, name in rows]
