"""Moderation: reports of public acts and of thank-you notes, hiding and
restoring acts, removing notes, suspending people and lifting it. Every step is
recorded with who did it and when."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, aliased

from kindness.domain import accounts, thanks
from kindness.domain.chains import statistics
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import REPORT_REASONS, Act, ModerationAction, Report, Thanks, User

REPORT_TEXT_MAX = 1000


def make_admin(session: Session, email: str) -> User:
    user = accounts.find_by_email(session, email)
    if user is None:
        raise NotFound()
    user.is_admin = True
    session.flush()
    return user


def _reason_and_text(reason: str, text: str | None) -> str | None:
    if reason not in REPORT_REASONS:
        raise InvalidInput(_l("Choose a reason."), "reason")
    text = (text or "").strip() or None
    if text and len(text) > REPORT_TEXT_MAX:
        raise InvalidInput(_l("Use at most %(count)d characters.", count=REPORT_TEXT_MAX), "text")
    return text


def report(session: Session, reporter: User, act_ref: str, reason: str, text: str | None) -> Report:
    """Report a public act (only what the reporter can read can be reported)."""
    act = session.scalar(select(Act).where(Act.ref == act_ref))
    if act is None or act.visibility != "public" or act.removed_at or act.hidden_at:
        raise NotFound()
    text = _reason_and_text(reason, text)
    if act.author_id == reporter.id:
        raise RuleViolation(_l("This is your own act: you can edit or delete it instead."))
    entry = Report(act_id=act.id, reporter_id=reporter.id, reason=reason, text=text)
    session.add(entry)
    session.flush()
    return entry


def report_thanks(
    session: Session, reporter: User, thanks_id: int, reason: str, text: str | None
) -> Report:
    """Report a thank-you note: only its giver, the one person who reads it, can."""
    note = thanks.for_giver(session, reporter, thanks_id)
    text = _reason_and_text(reason, text)
    entry = Report(
        act_id=note.act_id, thanks_id=note.id, reporter_id=reporter.id, reason=reason, text=text
    )
    session.add(entry)
    session.flush()
    return entry


class QueueEntry(NamedTuple):
    """An open report. For a report of a thank-you note, ``note`` is the note and
    the two names are its writer's and its giver's (``act`` is then the note's
    act, which may be private: show the note, not the act); otherwise ``note``
    is None and the report is about the public ``act`` by ``author_name``."""

    report: Report
    act: Act
    author_name: str | None
    note: Thanks | None
    writer_name: str | None
    giver_name: str | None


def queue(session: Session, limit: int = 100) -> list[QueueEntry]:
    """Open reports, oldest first, with what they are about, in one query."""
    author, writer, giver = aliased(User), aliased(User), aliased(User)
    rows = session.execute(
        select(Report, Act, author.display_name, Thanks, writer.display_name, giver.display_name)
        .join(Act, Act.id == Report.act_id)
        .outerjoin(author, author.id == Act.author_id)
        .outerjoin(Thanks, Thanks.id == Report.thanks_id)
        .outerjoin(writer, writer.id == Thanks.writer_id)
        .outerjoin(giver, giver.id == Thanks.giver_id)
        .where(Report.resolved_at.is_(None))
        .order_by(Report.created_at, Report.id)
        .limit(limit)
    )
    return [QueueEntry(*row) for row in rows]


@dataclass(frozen=True)
class LogEntry:
    """One step of the moderation log, with names and text instead of ids.

    ``act_text`` is the act's text while the act is public (hidden or not): a
    moderator reads what was reported, never what its author later made private
    or deleted. A name or text that is gone is None."""

    action: str
    created_at: datetime
    moderator_name: str | None
    act_id: int | None
    act_ref: str | None
    act_text: str | None
    person_id: int | None
    person_name: str | None


def history(session: Session, limit: int = 100) -> list[LogEntry]:
    """The latest moderation steps, newest first, in one query."""
    moderator = aliased(User)
    person = aliased(User)
    rows = session.execute(
        select(
            ModerationAction,
            moderator.display_name,
            Act.ref,
            Act.what,
            Act.visibility,
            Act.removed_at,
            person.display_name,
        )
        .outerjoin(moderator, moderator.id == ModerationAction.moderator_id)
        .outerjoin(Act, Act.id == ModerationAction.act_id)
        .outerjoin(person, person.id == ModerationAction.user_id)
        .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
        .limit(limit)
    )
    return [
        LogEntry(
            action=step.action,
            created_at=step.created_at,
            moderator_name=moderator_name,
            act_id=step.act_id,
            act_ref=act_ref,
            act_text=what if visibility == "public" and removed_at is None else None,
            person_id=step.user_id,
            person_name=person_name,
        )
        for step, moderator_name, act_ref, what, visibility, removed_at, person_name in rows
    ]


@dataclass(frozen=True)
class HiddenAct:
    id: int
    ref: str
    what: str | None
    hidden_at: datetime
    author_name: str | None


def hidden_acts(session: Session, limit: int = 100) -> list[HiddenAct]:
    """Acts a moderator hid that can be restored one by one, newest first.

    The acts of a suspended person are left out: they come back together when the
    suspension is lifted (``unsuspend``), not one at a time while it lasts."""
    rows = session.execute(
        select(Act.id, Act.ref, Act.what, Act.visibility, Act.hidden_at, User.display_name)
        .outerjoin(User, User.id == Act.author_id)
        .where(Act.hidden_at.is_not(None), Act.removed_at.is_(None))
        .where(or_(User.id.is_(None), User.suspended_at.is_(None)))
        .order_by(Act.hidden_at.desc(), Act.id.desc())
        .limit(limit)
    )
    # hidden_at is set on every row (the WHERE above); the type checker cannot know.
    # Like the log, the list never shows text its author has since made private.
    return [
        HiddenAct(
            act_id,
            ref,
            what if visibility == "public" else None,
            cast(datetime, hidden_at),
            author_name,
        )
        for act_id, ref, what, visibility, hidden_at, author_name in rows
    ]


@dataclass(frozen=True)
class SuspendedPerson:
    id: int
    display_name: str
    suspended_at: datetime


def suspended_people(session: Session, limit: int = 100) -> list[SuspendedPerson]:
    """People under suspension, most recently suspended first."""
    rows = session.execute(
        select(User.id, User.display_name, User.suspended_at)
        .where(User.suspended_at.is_not(None))
        .order_by(User.suspended_at.desc(), User.id.desc())
        .limit(limit)
    )
    return [
        SuspendedPerson(user_id, name, cast(datetime, suspended_at))
        for user_id, name, suspended_at in rows
    ]


def person(session: Session, user_id: int, *, suspended: bool) -> User:
    """The person a suspension (``suspended=False``) or its lifting
    (``suspended=True``) is about to concern. An unknown id is NotFound; a
    person already in the other state (a second click, a second moderator) is
    told plainly, and nothing changes."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    if suspended and user.suspended_at is None:
        raise RuleViolation(_l("This person is not suspended."))
    if not suspended and user.suspended_at is not None:
        raise RuleViolation(_l("This person is suspended already."))
    return user


def _record(session: Session, moderator: User, action: str, act_id=None, user_id=None) -> None:
    session.add(
        ModerationAction(moderator_id=moderator.id, action=action, act_id=act_id, user_id=user_id)
    )


def _resolve_reports(session: Session, act_ids: list[int], now: datetime) -> None:
    """Resolve the open reports of these acts; reports of a thank-you note on
    them stay open (a note is judged on its own: remove it or dismiss them)."""
    session.execute(
        update(Report)
        .where(
            Report.act_id.in_(act_ids),
            Report.thanks_id.is_(None),
            Report.resolved_at.is_(None),
        )
        .values(resolved_at=now)
    )


def hide(session: Session, moderator: User, act_id: int) -> None:
    act = session.get(Act, act_id)
    if act is None:
        raise NotFound()
    now = datetime.now(UTC)
    if act.hidden_at is None:
        act.hidden_at = now
    _resolve_reports(session, [act.id], now)
    _record(session, moderator, "hide", act_id=act.id)
    session.flush()
    statistics.recompute(session, act.root_id)


def restore(session: Session, moderator: User, act_id: int) -> None:
    """Show a hidden act again (also used to dismiss a report: nothing was wrong)."""
    act = session.get(Act, act_id)
    if act is None:
        raise NotFound()
    if act.hidden_at is not None and act.author_id is not None:
        author = session.get(User, act.author_id)
        if author is not None and author.suspended_at is not None:
            raise RuleViolation(
                _l("Its author is suspended: lift the suspension to show their acts again.")
            )
    now = datetime.now(UTC)
    act.hidden_at = None
    _resolve_reports(session, [act.id], now)
    _record(session, moderator, "restore", act_id=act.id)
    session.flush()
    statistics.recompute(session, act.root_id)


def suspend(session: Session, moderator: User, user_id: int) -> None:
    """Refuse the person's logins, end their sessions, hide their acts from others."""
    user = person(session, user_id, suspended=False)
    if user.id == moderator.id:
        raise RuleViolation(_l("You cannot suspend yourself."))
    now = datetime.now(UTC)
    user.suspended_at = now
    hidden = list(
        session.scalars(select(Act.id).where(Act.author_id == user.id, Act.hidden_at.is_(None)))
    )
    if hidden:
        session.execute(update(Act).where(Act.id.in_(hidden)).values(hidden_at=now))
        _resolve_reports(session, hidden, now)
    _record(session, moderator, "suspend", user_id=user.id)
    accounts.revoke_sessions(session, user)
    for root_id in set(session.scalars(select(Act.root_id).where(Act.id.in_(hidden)))):
        statistics.recompute(session, root_id)


def unsuspend(session: Session, moderator: User, user_id: int) -> None:
    """Let the person in again and show the acts that the suspension hid.

    The session token turns over once more, so a cookie from before the
    suspension (which stopped working with it) does not work again now."""
    user = person(session, user_id, suspended=True)
    hidden_by_suspension = list(
        session.scalars(
            select(Act.id).where(Act.author_id == user.id, Act.hidden_at == user.suspended_at)
        )
    )
    user.suspended_at = None
    if hidden_by_suspension:
        session.execute(update(Act).where(Act.id.in_(hidden_by_suspension)).values(hidden_at=None))
    _record(session, moderator, "unsuspend", user_id=user.id)
    accounts.revoke_sessions(session, user)
    for root_id in set(
        session.scalars(select(Act.root_id).where(Act.id.in_(hidden_by_suspension)))
    ):
        statistics.recompute(session, root_id)


def _reported_note(session: Session, thanks_id: int) -> Thanks:
    """A note with an open report. An unknown or deleted note is NotFound; a note
    whose reports are settled already (a second click) is told plainly."""
    note = session.get(Thanks, thanks_id)
    if note is None:
        raise NotFound()
    open_report = session.scalar(
        select(Report.id).where(Report.thanks_id == note.id, Report.resolved_at.is_(None)).limit(1)
    )
    if open_report is None:
        raise RuleViolation(_l("The reports of this note are settled already."))
    return note


def remove_thanks(session: Session, moderator: User, thanks_id: int) -> None:
    """Delete a reported thank-you note for good. Its reports go with it (they
    point at the note: resolved by its deletion, as when its writer deletes it);
    the log keeps who removed whose note on which act, never its text."""
    note = _reported_note(session, thanks_id)
    _record(session, moderator, "remove_thanks", act_id=note.act_id, user_id=note.writer_id)
    session.delete(note)
    session.flush()


def dismiss_thanks(session: Session, moderator: User, thanks_id: int) -> None:
    """Nothing wrong with the note: resolve its open reports, keep the note."""
    note = _reported_note(session, thanks_id)
    session.execute(
        update(Report)
        .where(Report.thanks_id == note.id, Report.resolved_at.is_(None))
        .values(resolved_at=datetime.now(UTC))
    )
    _record(session, moderator, "dismiss_thanks", act_id=note.act_id, user_id=note.writer_id)
    session.flush()
