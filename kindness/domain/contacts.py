"""Contacts: each user's private address book of the people they helped."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kindness.domain.errors import InvalidInput, NotFound
from kindness.models import Act, Contact, User

NAME_MAX = 80
NOTE_MAX = 1000


@dataclass(frozen=True)
class ContactRow:
    id: int
    name: str
    note: str | None
    acts: int


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_l("Please give a name."), "name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=NAME_MAX), "name")
    return name


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=NOTE_MAX), "note")
    return note or None


def get_own(session: Session, owner: User, contact_id: int) -> Contact:
    """Return the owner's contact, or raise NotFound for anyone else's."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.owner_id != owner.id:
        raise NotFound()
    return contact


def find_by_name(session: Session, owner: User, name: str) -> Contact | None:
    return session.scalar(
        select(Contact).where(
            Contact.owner_id == owner.id, func.lower(Contact.name) == func.lower(name)
        )
    )


def add(session: Session, owner: User, name: str, note: str | None = None) -> Contact:
    name = _clean_name(name)
    if find_by_name(session, owner, name) is not None:
        raise InvalidInput(_l("You already have a contact with this name."), "name")
    contact = Contact(owner_id=owner.id, name=name, note=_clean_note(note))
    try:
        # A savepoint, so that a clash the lookup missed leaves the session usable.
        with session.begin_nested():
            session.add(contact)
    except IntegrityError:
        raise InvalidInput(_l("You already have a contact with this name."), "name") from None
    return contact


def find_or_add(session: Session, owner: User, name: str) -> Contact:
    """Return the owner's contact of this name, creating it the first time."""
    name = _clean_name(name)
    return find_by_name(session, owner, name) or add(session, owner, name)


def update(session: Session, owner: User, contact_id: int, name: str, note: str | None) -> Contact:
    contact = get_own(session, owner, contact_id)
    name = _clean_name(name)
    other = find_by_name(session, owner, name)
    if other is not None and other.id != contact.id:
        raise InvalidInput(_l("You already have a contact with this name."), "name")
    contact.name = name
    contact.note = _clean_note(note)
    session.flush()
    return contact


def delete(session: Session, owner: User, contact_id: int) -> None:
    """Delete the contact; the acts for them stay, with an unnamed recipient."""
    contact = get_own(session, owner, contact_id)
    session.delete(contact)
    session.flush()


def list_with_counts(session: Session, owner: User) -> list[ContactRow]:
    """Every contact of the owner with the number of acts for them, in one query."""
    rows = session.execute(
        select(Contact.id, Contact.name, Contact.note, func.count(Act.id))
        .outerjoin(Act, Act.contact_id == Contact.id)
        .where(Contact.owner_id == owner.id)
        .group_by(Contact.id, Contact.name, Contact.note)
        .order_by(func.lower(Contact.name), Contact.id)
    )
    return [ContactRow(*row) for row in rows]


def after(session: Session, owner: User, last_id: int | None, limit: int) -> list[Contact]:
    """Up to ``limit`` of the owner's contacts in the order they were added, after
    the one numbered ``last_id`` (None: from the first). Keyset pagination on the
    id alone: a name's sort key would not fit in a cursor of any length."""
    query = select(Contact).where(Contact.owner_id == owner.id)
    if last_id is not None:
        query = query.where(Contact.id > last_id)
    return list(session.scalars(query.order_by(Contact.id).limit(limit)))


def choices(session: Session, owner: User) -> list[tuple[int, str]]:
    rows = session.execute(
        select(Contact.id, Contact.name)
        .where(Contact.owner_id == owner.id)
        .order_by(func.lower(Contact.name), Contact.id)
    )
    return [(row.id, row.name) for row in rows]
