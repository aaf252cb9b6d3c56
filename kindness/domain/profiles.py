"""Public profiles, off by default: /u/<name> shows a person's public acts and
the chains they started, once they opt in and choose a profile name."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.domain.errors import Conflict, InvalidInput, NotFound
from kindness.models import Act, ChainStats, User

NAME_MAX = 40
NAME_PATTERN = re.compile(rf"^[a-z0-9][a-z0-9_-]{{2,{NAME_MAX - 1}}}$")


def set_profile(session: Session, user: User, public: bool, name: str | None) -> None:
    name = (name or "").strip().lower() or None
    if public and name is None:
        raise InvalidInput(_l("Choose a profile name to make your profile public."), "name")
    if name is not None:
        if not NAME_PATTERN.match(name):
            raise InvalidInput(
                _l("3 to 40 small letters, digits, - or _, starting with a letter or digit."),
                "name",
            )
        _ensure_name_free(session, name, user)
    user.profile_public = public
    user.profile_name = name
    session.flush()


def _ensure_name_free(session: Session, name: str, user: User) -> None:
    # A name taken between this check and the update is caught by the unique key
    # (kindness.domain.conflicts).
    taken = session.scalar(select(User.id).where(User.profile_name == name, User.id != user.id))
    if taken is not None:
        raise Conflict(_l("This profile name is taken."), "name")


def find_public(session: Session, name: str) -> User:
    if not NAME_PATTERN.match(name or ""):
        raise NotFound()
    user = session.scalar(
        select(User).where(
            User.profile_name == name, User.profile_public.is_(True), User.suspended_at.is_(None)
        )
    )
    if user is None:
        raise NotFound()
    return user


def public_acts(session: Session, user: User, limit: int = 50) -> list[Act]:
    return list(
        session.scalars(
            select(Act)
            .where(Act.author_id == user.id, PUBLIC_AND_SHOWN)
            .order_by(Act.performed_on.desc(), Act.id.desc())
            .limit(limit)
        )
    )


def started_chains(session: Session, user: User, limit: int = 20) -> list[tuple[str, ChainStats]]:
    """Chains the person started that anyone may open, biggest reach first."""
    rows = session.execute(
        select(Act.ref, ChainStats)
        .join(ChainStats, ChainStats.root_id == Act.id)
        .where(Act.author_id == user.id, Act.parent_id.is_(None), ChainStats.public_acts > 0)
        .order_by(ChainStats.reach.desc(), func.coalesce(ChainStats.root_id, 0).desc())
        .limit(limit)
    ).all()
    return [(ref, stats) for ref, stats in rows]
