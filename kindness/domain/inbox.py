"""The inbox: an author hears when their act is claimed and when kindness grows
anywhere below it; a member hears when one of their teams' weeks is scheduled,
moved or cancelled, and when it begins; a person hears that the data export they
asked for is ready (or could not be made). The figures ("3 generations, 7 people")
are the chain's own, read from its statistics when the inbox is read (the very
figures of the chain page), so a notification only says where to look; a team
week's notice names the week, read as it stands now."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Insert,
    Select,
    String,
    Subquery,
    bindparam,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from kindness.db import UTCDateTime
from kindness.domain.chains import graph
from kindness.domain.errors import NotFound
from kindness.domain.keyset import after_descending
from kindness.models import (
    Act,
    ChainStats,
    DataExport,
    Notification,
    Team,
    TeamWeek,
    Thanks,
    User,
)

# The newest notices the inbox shows.
ENTRIES = 50


@dataclass(frozen=True)
class TeamWeekAbout:
    """The team week a notice names, as it stands now."""

    id: int
    team_name: str
    team_slug: str
    starts_on: date
    ends_on: date
    cancelled: bool


@dataclass(frozen=True)
class ExportAbout:
    """The data export a notice names, as it stands now."""

    id: int
    state: str
    expires_at: datetime


@dataclass(frozen=True)
class Entry:
    notification: Notification
    # An act's notice (claimed, travelled): its act and chain; None on a week's notice.
    act_ref: str | None
    act_what: str | None
    root_ref: str | None
    # The chain's figures, as its page shows them (``chain_stats``).
    generations: int | None
    reach: int | None
    # Who claimed the act, when they chose to be named (else "someone").
    claimer_name: str | None = None
    # The recipient's thank-you note, on the "claimed" entry of its act.
    thanks: Thanks | None = None
    # A team week's notice (week_scheduled, week_moved, ...): its week.
    team_week: TeamWeekAbout | None = None
    # The person's data export (data_export): ready, or failed.
    data_export: ExportAbout | None = None


def notify_claimed(session: Session, act: Act) -> None:
    session.add(Notification(user_id=act.author_id, kind="claimed", act_id=act.id))
    session.flush()


def notify_export(session: Session, export: DataExport) -> None:
    """Tell the person their export is built (or failed); the notice goes with it."""
    session.add(Notification(user_id=export.user_id, kind="data_export", data_export_id=export.id))
    session.flush()


def notify_travelled(session: Session, forward: Act) -> dict[int, int]:
    """Tell every author above a new forward that their kindness travelled: one
    unread notice per person, on their act nearest the root. While it is unread,
    further growth adds nothing: the figures are computed when the inbox is read.

    Runs as a job after the forward's commit (``notices.travelled``). One
    INSERT ... SELECT over the path up to the root, however deep the forward:
    the authors above are never read into Python. Returns the authors above who
    chose "travelled: immediately" with their act nearest the root (one more
    statement), for their mail."""
    if forward.parent_id is None:  # a root: nobody above it
        return {}
    connection = session.connection()
    params = {
        "parent_id": forward.parent_id,
        "author_id": forward.author_id,
        "now": datetime.now(UTC),
    }
    connection.execute(_notify_statement(), params)
    return {
        user_id: act_id
        for user_id, act_id in connection.execute(_immediately_statement(), params).all()
    }


def _topmost_above() -> Subquery:
    """(user_id, act_id): each author on the path from the root down to the
    forward's parent, with their act nearest the root; placeholders (no author)
    and the forward's own author left out."""
    path = graph.path_up(bindparam("parent_id"))
    nearest = (
        select(path.c.author_id, func.min(path.c.depth).label("depth"))
        .where(path.c.author_id.is_not(None), path.c.author_id != bindparam("author_id"))
        .group_by(path.c.author_id)
        .subquery("nearest")
    )
    return (
        select(path.c.author_id.label("user_id"), path.c.id.label("act_id"))
        .join(
            nearest,
            (nearest.c.author_id == path.c.author_id) & (nearest.c.depth == path.c.depth),
        )
        .subquery("topmost")
    )


@cache
def _notify_statement() -> Insert:
    topmost = _topmost_above()
    unread = (
        select(Notification.id)
        .where(
            Notification.user_id == topmost.c.user_id,
            Notification.act_id == topmost.c.act_id,
            Notification.kind == "travelled",
            Notification.read_at.is_(None),
        )
        .exists()
    )
    fresh = select(
        topmost.c.user_id,
        literal("travelled", String),
        topmost.c.act_id,
        bindparam("now", type_=UTCDateTime),
    ).where(~unread)
    return insert(Notification).from_select(["user_id", "kind", "act_id", "created_at"], fresh)


@cache
def _immediately_statement() -> Select:
    topmost = _topmost_above()
    return (
        select(topmost.c.user_id, topmost.c.act_id)
        .join(User, User.id == topmost.c.user_id)
        .where(User.notify_travelled == "immediately")
        .order_by(topmost.c.user_id)
    )


def unread_count(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def entries(session: Session, user: User, limit: int | None = ENTRIES) -> list[Entry]:
    """The newest notifications with their acts, the chain's figures, the named
    claimer and the thank-you note, in one query (``limit`` None: all of them)."""
    return _entries(session, user, limit)


def entries_page(
    session: Session, user: User, after: tuple[datetime, int] | None, limit: int
) -> list[Entry]:
    """``limit`` notices, newest first, after the one whose (created_at, id) is
    ``after``; one query, as ``entries``."""
    where = (
        [after_descending((Notification.created_at, Notification.id), after)]
        if after is not None
        else []
    )
    return _entries(session, user, limit, *where)


def entries_by_id(session: Session, user: User, ids: Collection[int]) -> list[Entry]:
    """These notices of the user (a letter's), oldest first; others' ids are ignored."""
    if not ids:
        return []
    found = _entries(session, user, len(ids), Notification.id.in_(list(ids)))
    return found[::-1]


def latest_about(session: Session, user: User, kind: str, act_id: int) -> Entry | None:
    """The user's newest notice of ``kind`` about their act ``act_id``."""
    found = _entries(session, user, 1, Notification.kind == kind, Notification.act_id == act_id)
    return found[0] if found else None


def _entries(
    session: Session, user: User, limit: int | None, *where: ColumnElement[bool]
) -> list[Entry]:
    root = Act.__table__.alias("root")
    claimer = User.__table__.alias("claimer")
    rows = session.execute(
        select(
            Notification,
            Act.ref,
            Act.what,
            root.c.ref,
            ChainStats.generations,
            ChainStats.reach,
            claimer.c.display_name,
            Thanks,
            TeamWeek.id,
            Team.name,
            Team.slug,
            TeamWeek.starts_on,
            TeamWeek.ends_on,
            TeamWeek.cancelled_at,
            DataExport.id,
            DataExport.state,
            DataExport.expires_at,
        )
        # A notice names an act or a team week (a check constraint says which).
        .outerjoin(Act, Act.id == Notification.act_id)
        .outerjoin(root, root.c.id == Act.root_id)
        .outerjoin(ChainStats, ChainStats.root_id == Act.root_id)
        .outerjoin(TeamWeek, TeamWeek.id == Notification.team_week_id)
        .outerjoin(Team, Team.id == TeamWeek.team_id)
        .outerjoin(DataExport, DataExport.id == Notification.data_export_id)
        .outerjoin(
            claimer,
            (claimer.c.id == Act.recipient_id)
            & Act.recipient_named.is_(True)
            & (Notification.kind == "claimed"),
        )
        .outerjoin(
            Thanks,
            (Thanks.act_id == Act.id)
            & (Thanks.giver_id == user.id)
            & (Notification.kind == "claimed"),
        )
        .where(Notification.user_id == user.id, *where)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [
        Entry(
            notification=row[0],
            act_ref=row[1],
            act_what=row[2],
            root_ref=row[3],
            generations=row[4],
            reach=row[5],
            claimer_name=row[6],
            thanks=row[7],
            team_week=TeamWeekAbout(
                id=row[8],
                team_name=row[9],
                team_slug=row[10],
                starts_on=row[11],
                ends_on=row[12],
                cancelled=row[13] is not None,
            )
            if row[8] is not None
            else None,
            data_export=ExportAbout(id=row[14], state=row[15], expires_at=row[16])
            if row[14] is not None
            else None,
        )
        for row in rows
    ]


def mark_read(session: Session, user: User, ids: list[int]) -> None:
    """Mark these notices of the user read (others' ids are ignored)."""
    if not ids:
        return
    session.execute(
        update(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.read_at.is_(None),
            Notification.id.in_(ids),
        )
        .values(read_at=datetime.now(UTC))
    )
    session.flush()


def mark_one_read(session: Session, user: User, notification_id: int) -> Entry:
    """Mark one notice of the user read and return it; anyone else's is NotFound."""
    found = _entries(session, user, 1, Notification.id == notification_id)
    if not found:
        raise NotFound()
    mark_read(session, user, [notification_id])
    session.refresh(found[0].notification)
    return found[0]


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notice of the user read; how many there were."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return cast(CursorResult[Any], result).rowcount
