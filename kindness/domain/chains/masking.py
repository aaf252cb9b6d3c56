"""Who sees what of an act (docs/design.md, "Who sees what").

An act's text, date and author show to its author, to everyone when it is
public, and to the author's team co-members when it is for teams; anyone else
sees a placeholder. A recipient shows by contact name to the author alone, by
display name when they claimed the act and chose to be named, else as someone.
"""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Viewer:
    user_id: int | None = None
    # Authors who share a team with the viewer.
    team_mates: frozenset[int] = frozenset()

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


@dataclass(frozen=True)
class MaskedAct:
    """An act as one viewer may see it. ``visible`` False means a placeholder:
    no text, author, recipient or exact date."""

    id: int
    ref: str
    parent_id: int | None
    depth: int
    visible: bool
    is_own: bool
    what: str | None = None
    performed_on: date | None = None
    category: str | None = None
    visibility: str | None = None
    author_name: str | None = None
    # None reads "someone".
    recipient_name: str | None = None
    removed: bool = False


def can_see(
    viewer: Viewer, author_id: int | None, visibility: str, removed: bool, hidden: bool = False
) -> bool:
    if removed or author_id is None:
        return False
    if viewer.user_id == author_id:
        return True
    if hidden:  # by a moderator: a placeholder for everyone else
        return False
    if visibility == "public":
        return True
    return visibility == "team" and author_id in viewer.team_mates


def shown_recipient(
    is_own: bool,
    contact_name: str | None,
    recipient_id: int | None,
    recipient_named: bool,
    recipient_name: str | None,
) -> str | None:
    """The recipient of a visible act as the viewer reads it: the contact's name
    to its author, else the display name of a recipient who claimed the act and
    chose to be named; None reads "someone"."""
    if is_own and contact_name is not None:
        return contact_name
    if recipient_id is not None and recipient_named:
        return recipient_name
    return None


def mask(row, viewer: Viewer) -> MaskedAct:
    """Mask one act row (with id, ref, parent_id, depth, author_id, what,
    performed_on, category, visibility, recipient_id, recipient_named,
    removed_at, hidden_at, and the names author_name, recipient_name and contact_name)."""
    removed = row.removed_at is not None
    is_own = viewer.user_id is not None and row.author_id == viewer.user_id
    if not can_see(viewer, row.author_id, row.visibility, removed, row.hidden_at is not None):
        return MaskedAct(
            id=row.id,
            ref=row.ref,
            parent_id=row.parent_id,
            depth=row.depth,
            visible=False,
            is_own=False,
            removed=removed,
        )
    recipient = shown_recipient(
        is_own, row.contact_name, row.recipient_id, row.recipient_named, row.recipient_name
    )
    return MaskedAct(
        id=row.id,
        ref=row.ref,
        parent_id=row.parent_id,
        depth=row.depth,
        visible=True,
        is_own=is_own,
        what=row.what,
        performed_on=row.performed_on,
        category=row.category,
        visibility=row.visibility,
        author_name=row.author_name,
        recipient_name=recipient,
    )
