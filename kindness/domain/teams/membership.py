"""Teams: creating them and changing their settings, membership and roles, invite links.

Every operation that needs a role takes the acting person and checks it here
(``require_manager``, ``require_owner``): people who may not do it get
NotFound, exactly as for a team they cannot see.
"""

import re
import secrets
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, delete, func, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kindness.db import constraint_name
from kindness.domain.chains.masking import Viewer
from kindness.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from kindness.models import (
    Membership,
    Team,
    TeamWeek,
    TeamWeekMember,
    User,
)

NAME_MAX = 80
DESCRIPTION_MAX = 1000
RESERVED_SLUGS = {"join", "new"}
MANAGERS = ("owner", "admin")
# Invite codes are made by ``new_invite_code``: 22 characters of URL-safe base64.
# Anything longer, or of other characters, is none of ours (and is not looked up).
INVITE_CODE_MAX = 32
INVITE_CODE_PATTERN = r"^[A-Za-z0-9_-]+$"


def new_invite_code() -> str:
    return secrets.token_urlsafe(16)


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:50]
    return slug or "team"


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput(_l("Please give the team a name."), "name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=NAME_MAX), "name")
    return name


def key_of(name: str) -> str:
    """The case-insensitive key a team name is unique by."""
    key = name.lower()
    # Lower-casing can make a name longer (İ becomes i and a combining dot).
    if len(key) > NAME_MAX:
        raise InvalidInput(_l("This name is too long to store; please use a shorter one."), "name")
    return key


def _ensure_name_free(session: Session, name_key: str) -> None:
    # A team made between this check and the insert is caught by the unique key
    # (kindness.domain.conflicts).
    if session.scalar(select(Team.id).where(Team.name_key == name_key)) is not None:
        raise Conflict(_l("A team with this name exists already."), "name")


def _clean_description(description: str | None) -> str | None:
    description = (description or "").strip() or None
    if description and len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            _l("Use at most %(count)d characters.", count=DESCRIPTION_MAX), "description"
        )
    return description


def _free_slug(session: Session, name: str) -> str:
    base = slugify(name)
    if base in RESERVED_SLUGS:
        base = f"{base}-team"
    taken = set(session.scalars(select(Team.slug).where(Team.slug.like(f"{base}%"))))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create(
    session: Session, owner: User, *, name: str, description: str | None, is_public: bool
) -> Team:
    name = _clean_name(name)
    name_key = key_of(name)
    _ensure_name_free(session, name_key)
    description = _clean_description(description)
    team = Team(
        slug=_free_slug(session, name),
        name=name,
        name_key=name_key,
        description=description,
        is_public=is_public,
        invite_code=new_invite_code(),
        time_zone=owner.time_zone,
    )
    session.add(team)
    session.flush()
    session.add(Membership(team_id=team.id, user_id=owner.id, role="owner"))
    session.flush()
    return team


def update_settings(
    session: Session,
    team: Team,
    actor: User,
    *,
    name: str,
    description: str | None,
    is_public: bool,
    time_zone: str,
) -> None:
    """Change the team's name, description, visibility and time zone (owner and
    admins). The slug stays as it was, so links already shared keep working."""
    require_manager(session, team, actor)
    name = _clean_name(name)
    name_key = key_of(name)
    if name_key != team.name_key:
        _ensure_name_free(session, name_key)
    description = _clean_description(description)
    team.name = name
    team.name_key = name_key
    team.description = description
    team.is_public = is_public
    team.time_zone = time_zone
    session.flush()


def role_of(session: Session, team: Team, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    return session.scalar(
        select(Membership.role).where(Membership.team_id == team.id, Membership.user_id == user_id)
    )


def find(session: Session, slug: str, viewer_id: int | None) -> tuple[Team, str | None]:
    """The team and the viewer's role in it; a private team is NotFound for non-members."""
    team = session.scalar(select(Team).where(Team.slug == slug)) if len(slug) <= 64 else None
    if team is None:
        raise NotFound()
    role = role_of(session, team, viewer_id)
    if role is None and not team.is_public:
        raise NotFound()
    return team, role


def require_manager(session: Session, team: Team, actor: User) -> str:
    """The actor's role if they manage the team (its owner or an admin); NotFound
    for members and strangers."""
    role = role_of(session, team, actor.id)
    if role not in MANAGERS:
        raise NotFound()
    return role


def require_owner(session: Session, team: Team, actor: User) -> None:
    """Nothing if the actor owns the team; NotFound for everyone else, admins too."""
    if role_of(session, team, actor.id) != "owner":
        raise NotFound()


def my_teams(
    session: Session,
    user: User,
    *,
    after: tuple[str, str] | None = None,
    limit: int | None = None,
) -> list[tuple[Team, str, int]]:
    """The user's teams with their role and member count, in one query, by name
    (then slug); ``after`` a (name key, slug) and ``limit`` read one page of them."""
    mine = (
        select(Membership.team_id, Membership.role).where(Membership.user_id == user.id).subquery()
    )
    counts = (
        select(Membership.team_id, func.count().label("members"))
        .group_by(Membership.team_id)
        .subquery()
    )
    statement = (
        select(Team, mine.c.role, counts.c.members)
        .join(mine, mine.c.team_id == Team.id)
        .join(counts, counts.c.team_id == Team.id)
        .order_by(Team.name_key, Team.slug)
    )
    if after is not None:
        statement = statement.where(tuple_(Team.name_key, Team.slug) > tuple_(*after))
    if limit is not None:
        statement = statement.limit(limit)
    return [(team, role, members) for team, role, members in session.execute(statement).all()]


def member_count(session: Session, team: Team) -> int:
    return session.scalar(select(func.count()).where(Membership.team_id == team.id)) or 0


def members(session: Session, team: Team) -> list[tuple[int, str, str]]:
    """(user id, display name, role) of every member, owner first."""
    order = case({"owner": 0, "admin": 1}, value=Membership.role, else_=2)
    return [
        (user_id, name, role)
        for user_id, name, role in session.execute(
            select(User.id, User.display_name, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.team_id == team.id)
            .order_by(order, func.lower(User.display_name), User.id)
        )
    ]


def team_mates(session: Session, user_id: int | None) -> frozenset[int]:
    """Everyone who shares at least one team with the user (the user included)."""
    if user_id is None:
        return frozenset()
    mine = select(Membership.team_id).where(Membership.user_id == user_id)
    return frozenset(
        session.scalars(select(Membership.user_id).where(Membership.team_id.in_(mine)).distinct())
    )


def viewer_of(session: Session, user_id: int | None) -> Viewer:
    """Who is looking, as chains are masked for them: the person and everyone who
    shares a team with them (for team acts)."""
    if user_id is None:
        return Viewer()
    return Viewer(user_id=user_id, team_mates=team_mates(session, user_id))


# -- joining and roles -------------------------------------------------------


def find_by_invite(session: Session, code: str) -> Team:
    if not code or len(code) > INVITE_CODE_MAX or not re.match(INVITE_CODE_PATTERN, code):
        raise NotFound()
    team = session.scalar(select(Team).where(Team.invite_code == code))
    if team is None:
        raise NotFound()
    return team


def join(session: Session, code: str, user: User, today: date) -> Team:
    """Join through an invite link; a member also takes part in the running and
    coming weeks at once."""
    team = find_by_invite(session, code)
    if role_of(session, team, user.id) is not None:
        return team
    try:
        with session.begin_nested():
            session.add(Membership(team_id=team.id, user_id=user.id, role="member"))
    except IntegrityError as error:
        if constraint_name(error) != "pk_memberships":
            raise
        return team  # joined at the same moment in another request: a member all the same
    for week_id in session.scalars(
        select(TeamWeek.id).where(
            TeamWeek.team_id == team.id, TeamWeek.ends_on >= today, TeamWeek.cancelled_at.is_(None)
        )
    ):
        session.merge(TeamWeekMember(week_id=week_id, user_id=user.id))
    session.flush()
    return team


def rotate_invite(session: Session, team: Team, actor: User) -> None:
    """A new invite link (owner and admins); the old one stops working."""
    require_manager(session, team, actor)
    team.invite_code = new_invite_code()
    session.flush()


def _membership(session: Session, team: Team, user_id: int) -> Membership:
    membership = session.get(Membership, (team.id, user_id))
    if membership is None:
        raise NotFound()
    return membership


def _member(session: Session, team: Team, user_id: int) -> Membership:
    """The membership a manager acts on: someone outside the team is a wrong choice."""
    membership = session.get(Membership, (team.id, user_id))
    if membership is None:
        raise InvalidInput(_l("Choose a member of the team."), "user_id")
    return membership


def set_role(session: Session, team: Team, actor: User, user_id: int, role: str) -> None:
    """Promote a member to admin or demote an admin; the owner's role changes only
    by handing ownership over (owner and admins)."""
    require_manager(session, team, actor)
    if role not in ("admin", "member"):
        raise InvalidInput(_l("Choose admin or member."), "role")
    target = _member(session, team, user_id)
    if target.role == "owner":
        raise RuleViolation(_l("The owner stays owner until they hand ownership over."))
    if target.role == "admin" and role == "member" and user_id == actor.id:
        managers = session.scalars(
            select(func.count()).where(Membership.team_id == team.id, Membership.role.in_(MANAGERS))
        ).one()
        if managers <= 1:
            raise RuleViolation(_l("You are the last admin; make someone else admin first."))
    target.role = role
    session.flush()


def remove_member(session: Session, team: Team, actor: User, user_id: int) -> None:
    """Take someone out of the team (owner and admins); the owner stays."""
    require_manager(session, team, actor)
    target = _member(session, team, user_id)
    if target.role == "owner":
        raise RuleViolation(_l("The owner cannot be removed."))
    session.delete(target)
    session.flush()


def transfer_ownership(session: Session, team: Team, owner: User, user_id: int) -> None:
    """Hand ownership over to another member (the owner only); the owner becomes an
    admin."""
    require_owner(session, team, owner)
    if user_id == owner.id:
        raise InvalidInput(_l("Choose another member."), "user_id")
    target = _member(session, team, user_id)
    current = _membership(session, team, owner.id)
    current.role = "admin"
    session.flush()  # the one-owner index allows no moment with two owners
    target.role = "owner"
    session.flush()


def leave(session: Session, team: Team, user: User) -> None:
    membership = _membership(session, team, user.id)
    if membership.role == "owner":
        raise RuleViolation(_l("Hand ownership over before you leave the team."))
    session.delete(membership)
    session.flush()


def delete_team(session: Session, team: Team, actor: User) -> None:
    """Delete the team (the owner only); its members' acts stay theirs."""
    require_owner(session, team, actor)
    session.delete(team)
    session.flush()


def delete_memberships_of(session: Session, user_id: int) -> None:
    """Used on account deletion: an owner's teams go to an admin or member, or go."""
    for membership in session.scalars(
        select(Membership).where(Membership.user_id == user_id, Membership.role == "owner")
    ).all():
        heir = session.scalar(
            select(Membership)
            .where(Membership.team_id == membership.team_id, Membership.user_id != user_id)
            .order_by(case({"admin": 0}, value=Membership.role, else_=1), Membership.joined_at)
            .limit(1)
        )
        session.delete(membership)
        session.flush()
        if heir is None:
            session.execute(delete(Team).where(Team.id == membership.team_id))
        else:
            session.execute(
                update(Membership)
                .where(Membership.team_id == heir.team_id, Membership.user_id == heir.user_id)
                .values(role="owner")
            )
    session.flush()
