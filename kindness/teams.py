"""Teams: membership and roles, invite links, and the weeks a team takes together.

A team's week counts the acts its members dated within it, whatever their
visibility; visibility decides only what is shown. Who took part in a week is
kept, so figures stay right after members leave.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, delete, func, select, update
from sqlalchemy.orm import Session

from kindness.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import (
    CHALLENGE_DAYS,
    Act,
    Membership,
    Team,
    TeamWeek,
    TeamWeekMember,
    User,
)

NAME_MAX = 80
DESCRIPTION_MAX = 1000
SCHEDULE_AHEAD_DAYS = 90
RESERVED_SLUGS = {"join", "new"}
MANAGERS = ("owner", "admin")


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
    if session.scalar(select(Team.id).where(Team.name_key == name.lower())) is not None:
        raise InvalidInput(_l("A team with this name exists already."), "name")
    description = (description or "").strip() or None
    if description and len(description) > DESCRIPTION_MAX:
        raise InvalidInput(
            _l("Use at most %(count)d characters.", count=DESCRIPTION_MAX), "description"
        )
    team = Team(
        slug=_free_slug(session, name),
        name=name,
        name_key=name.lower(),
        description=description,
        is_public=is_public,
        invite_code=new_invite_code(),
    )
    session.add(team)
    session.flush()
    session.add(Membership(team_id=team.id, user_id=owner.id, role="owner"))
    session.flush()
    return team


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


def require_manager(role: str | None) -> None:
    """Owner and admins manage; members and strangers get a 404 for such routes."""
    if role not in MANAGERS:
        raise NotFound()


def my_teams(session: Session, user: User) -> list[tuple[Team, str, int]]:
    """The user's teams with their role and member count, in one query."""
    mine = select(Membership.team_id, Membership.role).where(Membership.user_id == user.id)
    mine = mine.subquery()
    counts = (
        select(Membership.team_id, func.count().label("members"))
        .group_by(Membership.team_id)
        .subquery()
    )
    rows = session.execute(
        select(Team, mine.c.role, counts.c.members)
        .join(mine, mine.c.team_id == Team.id)
        .join(counts, counts.c.team_id == Team.id)
        .order_by(func.lower(Team.name))
    ).all()
    return [(team, role, members) for team, role, members in rows]


def members(session: Session, team: Team) -> list[tuple[int, str, str]]:
    """(user id, display name, role) of every member, owner first."""
    order = case({"owner": 0, "admin": 1}, value=Membership.role, else_=2)
    return [
        tuple(row)
        for row in session.execute(
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


# -- joining and roles -------------------------------------------------------


def find_by_invite(session: Session, code: str) -> Team:
    if not code or len(code) > 32:
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
    session.add(Membership(team_id=team.id, user_id=user.id, role="member"))
    session.flush()
    for week_id in session.scalars(
        select(TeamWeek.id).where(TeamWeek.team_id == team.id, TeamWeek.ends_on >= today)
    ):
        session.merge(TeamWeekMember(week_id=week_id, user_id=user.id))
    session.flush()
    return team


def rotate_invite(session: Session, team: Team) -> None:
    team.invite_code = new_invite_code()
    session.flush()


def _membership(session: Session, team: Team, user_id: int) -> Membership:
    membership = session.get(Membership, (team.id, user_id))
    if membership is None:
        raise NotFound()
    return membership


def set_role(session: Session, team: Team, actor: User, user_id: int, role: str) -> None:
    """Promote a member to admin or demote an admin; the owner's role changes only
    by handing ownership over."""
    if role not in ("admin", "member"):
        raise InvalidInput(_l("Choose admin or member."), "role")
    target = _membership(session, team, user_id)
    if target.role == "owner":
        raise RuleViolation(_l("The owner stays owner until they hand ownership over."))
    if target.role == "admin" and role == "member" and user_id == actor.id:
        managers = session.scalar(
            select(func.count()).where(Membership.team_id == team.id, Membership.role.in_(MANAGERS))
        )
        if managers <= 1:
            raise RuleViolation(_l("You are the last admin; make someone else admin first."))
    target.role = role
    session.flush()


def remove_member(session: Session, team: Team, user_id: int) -> None:
    target = _membership(session, team, user_id)
    if target.role == "owner":
        raise RuleViolation(_l("The owner cannot be removed."))
    session.delete(target)
    session.flush()


def transfer_ownership(session: Session, team: Team, owner: User, user_id: int) -> None:
    if user_id == owner.id:
        raise InvalidInput(_l("Choose another member."), "user_id")
    target = _membership(session, team, user_id)
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


def delete_team(session: Session, team: Team) -> None:
    """Delete the team; its members' acts stay theirs."""
    session.delete(team)
    session.flush()


# -- weeks -----------------------------------------------------------------------


def schedule_week(session: Session, team: Team, actor: User, starts_on: date, today: date):
    if starts_on < today:
        raise InvalidInput(_l("A week cannot start in the past."), "starts_on")
    if starts_on > today + timedelta(days=SCHEDULE_AHEAD_DAYS):
        raise InvalidInput(
            _l("A week can start at most %(count)d days ahead.", count=SCHEDULE_AHEAD_DAYS),
            "starts_on",
        )
    ends_on = starts_on + timedelta(days=CHALLENGE_DAYS - 1)
    overlapping = session.scalar(
        select(TeamWeek.id).where(
            TeamWeek.team_id == team.id,
            TeamWeek.starts_on <= ends_on,
            TeamWeek.ends_on >= starts_on,
        )
    )
    if overlapping is not None:
        raise InvalidInput(_l("This week overlaps another week of the team."), "starts_on")
    week = TeamWeek(team_id=team.id, starts_on=starts_on, ends_on=ends_on, created_by_id=actor.id)
    session.add(week)
    session.flush()
    member_ids = session.scalars(select(Membership.user_id).where(Membership.team_id == team.id))
    session.add_all(TeamWeekMember(week_id=week.id, user_id=uid) for uid in member_ids)
    session.flush()
    return week


def weeks(session: Session, team: Team) -> list[TeamWeek]:
    return list(
        session.scalars(
            select(TeamWeek).where(TeamWeek.team_id == team.id).order_by(TeamWeek.starts_on.desc())
        )
    )


def get_week(session: Session, team: Team, week_id: int) -> TeamWeek:
    week = session.get(TeamWeek, week_id)
    if week is None or week.team_id != team.id:
        raise NotFound()
    return week


def current_week(session: Session, team: Team, today: date) -> TeamWeek | None:
    """The running week, else the next one, else the last one."""
    running = session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id, TeamWeek.ends_on >= today)
        .order_by(TeamWeek.starts_on)
        .limit(1)
    )
    if running is not None:
        return running
    return session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id)
        .order_by(TeamWeek.starts_on.desc())
        .limit(1)
    )


@dataclass
class WeekSummary:
    week: TeamWeek
    acts: int = 0
    members_who_acted: int = 0
    people_helped: int = 0
    forwards: int = 0
    acts_per_day: dict[date, int] = field(default_factory=dict)
    members_per_day: dict[date, int] = field(default_factory=dict)
    # (user id, display name, acts per day, total) of everyone who acted, most first.
    progress: list[tuple[int, str, dict[date, int], int]] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return [self.week.starts_on + timedelta(days=n) for n in range(CHALLENGE_DAYS)]


def _week_acts(week: TeamWeek):
    """Acts of the week's participants dated within it."""
    return and_(
        Act.author_id == TeamWeekMember.user_id,
        TeamWeekMember.week_id == week.id,
        Act.performed_on >= week.starts_on,
        Act.performed_on <= week.ends_on,
        Act.removed_at.is_(None),
    )


def summarise(session: Session, week: TeamWeek) -> WeekSummary:
    """The collective tally of a week, in a fixed number of queries whatever the
    number of members."""
    summary = WeekSummary(week=week)
    per_member_day = session.execute(
        select(Act.author_id, User.display_name, Act.performed_on, func.count(Act.id))
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        .group_by(Act.author_id, User.display_name, Act.performed_on)
    ).all()
    people: dict[int, tuple[str, dict[date, int]]] = {}
    for author_id, name, day, count in per_member_day:
        people.setdefault(author_id, (name, {}))[1][day] = count
        summary.acts_per_day[day] = summary.acts_per_day.get(day, 0) + count
        summary.members_per_day[day] = summary.members_per_day.get(day, 0) + 1
    summary.acts = sum(summary.acts_per_day.values())
    summary.members_who_acted = len(people)
    summary.progress = sorted(
        ((uid, name, days, sum(days.values())) for uid, (name, days) in people.items()),
        key=lambda item: (-item[3], item[1].lower(), item[0]),
    )
    summary.people_helped = (
        session.scalar(
            select(
                func.count(func.distinct(Act.contact_id))
                + func.coalesce(func.sum(case((Act.contact_id.is_(None), 1), else_=0)), 0)
            ).join(TeamWeekMember, _week_acts(week))
        )
        or 0
    )
    summary.forwards = _forwards_below(session, week)
    return summary


def _forwards_below(session: Session, week: TeamWeek) -> int:
    """Acts that grew anywhere below the week's acts, in one recursive query."""
    from sqlalchemy import literal

    origins = (
        select(Act.id.label("id"), literal(0).label("level"))
        .join(TeamWeekMember, _week_acts(week))
        .cte("team_ripples", recursive=True)
    )
    walk = origins.union_all(
        select(Act.id, origins.c.level + 1)
        .join(origins, Act.parent_id == origins.c.id)
        .where(origins.c.level < 1_000_000)
    )
    return session.scalar(select(func.count()).select_from(walk).where(walk.c.level > 0)) or 0


def feed(session: Session, week: TeamWeek, viewer_id: int | None, mates: frozenset[int],
         limit: int = 50) -> list[tuple[Act, str]]:  # fmt: skip
    """The week's acts the viewer may read (team-visible for co-members, public for
    all), newest first, with the author's display name; private acts only count."""
    visible = Act.visibility == "public"
    if mates:
        # Team acts show to people who share a team with their author.
        visible = visible | ((Act.visibility == "team") & Act.author_id.in_(list(mates)))
    rows = session.execute(
        select(Act, User.display_name)
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        .where(Act.hidden_at.is_(None) | (Act.author_id == (viewer_id or -1)))
        .where(visible | (Act.author_id == (viewer_id or -1)))
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(limit)
    ).all()
    return [(act, name) for act, name in rows]


def csv_rows(summary: WeekSummary, session: Session) -> list[list]:
    """Member display name, acts per day, total: everyone who took part."""
    participants = session.execute(
        select(User.id, User.display_name)
        .join(TeamWeekMember, TeamWeekMember.user_id == User.id)
        .where(TeamWeekMember.week_id == summary.week.id)
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    by_user = {uid: days for uid, _name, days, _total in summary.progress}
    rows = []
    for user_id, name in participants:
        days = by_user.get(user_id, {})
        counts = [days.get(day, 0) for day in summary.days]
        rows.append([name, *counts, sum(counts)])
    return rows


def chains_of(session: Session, team: Team, limit: int = 10) -> list[int]:
    """Roots of the chains with at least one member's act, biggest reach first."""
    from kindness.models import ChainStats

    member_ids = select(Membership.user_id).where(Membership.team_id == team.id)
    roots = select(Act.root_id).where(Act.author_id.in_(member_ids)).distinct().subquery()
    return list(
        session.scalars(
            select(ChainStats.root_id)
            .join(roots, roots.c.root_id == ChainStats.root_id)
            .order_by(ChainStats.reach.desc(), ChainStats.root_id.desc())
            .limit(limit)
        )
    )


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
