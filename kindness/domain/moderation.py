"""Moderation: reports of public acts, hiding and restoring acts, suspending
people. Every step is recorded with who did it and when."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kindness.domain import accounts, thanks
from kindness.domain.chains import statistics
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.models import REPORT_REASONS, Act, ModerationAction, Report, User

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


def queue(session: Session, limit: int = 100) -> list[tuple[Report, Act, str | None]]:
    """Open reports, oldest first, with the act and its author's display name."""
    return [
        (report, act, author_name)
        for report, act, author_name in session.execute(
            select(Report, Act, User.display_name)
            .join(Act, Act.id == Report.act_id)
            .outerjoin(User, User.id == Act.author_id)
            .where(Report.resolved_at.is_(None))
            .order_by(Report.created_at, Report.id)
            .limit(limit)
        )
    ]


def history(session: Session, limit: int = 100) -> list[tuple[ModerationAction, str | None]]:
    return [
        (action, moderator_name)
        for action, moderator_name in session.execute(
            select(ModerationAction, User.display_name)
            .outerjoin(User, User.id == ModerationAction.moderator_id)
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(limit)
        )
    ]


def _record(session: Session, moderator: User, action: str, act_id=None, user_id=None) -> None:
    session.add(
        ModerationAction(moderator_id=moderator.id, action=action, act_id=act_id, user_id=user_id)
    )


def _resolve_reports(session: Session, act_ids: list[int], now: datetime) -> None:
    session.execute(
        update(Report)
        .where(Report.act_id.in_(act_ids), Report.resolved_at.is_(None))
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
    now = datetime.now(UTC)
    act.hidden_at = None
    _resolve_reports(session, [act.id], now)
    _record(session, moderator, "restore", act_id=act.id)
    session.flush()
    statistics.recompute(session, act.root_id)


def suspend(session: Session, moderator: User, user_id: int) -> None:
    """Refuse the person's logins, end their sessions, hide their acts from others."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
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
    session.flush()
    for root_id in set(session.scalars(select(Act.root_id).where(Act.id.in_(hidden)))):
        statistics.recompute(session, root_id)


def unsuspend(session: Session, moderator: User, user_id: int) -> None:
    """Let the person in again and show the acts that the suspension hid."""
    user = session.get(User, user_id)
    if user is None or user.suspended_at is None:
        raise NotFound()
    hidden_by_suspension = list(
        session.scalars(
            select(Act.id).where(Act.author_id == user.id, Act.hidden_at == user.suspended_at)
        )
    )
    user.suspended_at = None
    if hidden_by_suspension:
        session.execute(update(Act).where(Act.id.in_(hidden_by_suspension)).values(hidden_at=None))
    _record(session, moderator, "unsuspend", user_id=user.id)
    session.flush()
    for root_id in set(
        session.scalars(select(Act.root_id).where(Act.id.in_(hidden_by_suspension)))
    ):
        statistics.recompute(session, root_id)
