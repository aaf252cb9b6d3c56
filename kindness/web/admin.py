"""The moderators' queue: reports, hide or restore an act, remove a reported
thank-you note or dismiss its reports, suspend a person or lift the suspension,
and the log of what the moderators did."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import moderation
from kindness.domain.errors import NotFound
from kindness.sessions import get_session
from kindness.web.boundary import flash_errors

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def only_admins():
    """Everyone but admins gets a 404 here, as for anything they may not see."""
    if not current_user.is_admin:
        raise NotFound()


@bp.get("/reports")
def reports():
    """Show the open reports, what can be undone, and the latest moderation steps."""
    db_session = get_session()
    return render_template(
        "admin/reports.html",
        reports=moderation.queue(db_session),
        hidden=moderation.hidden_acts(db_session),
        suspended=moderation.suspended_people(db_session),
        history=moderation.history(db_session),
    )


def _act(action, subject_id: int, done: str):
    with flash_errors():
        action(get_session(), current_user, subject_id)
        flash(done, "success")
    return redirect(url_for(".reports"))


@bp.post("/acts/<id:act_id>/hide")
def hide(act_id: int):
    """Hide an act: a placeholder everywhere public."""
    return _act(moderation.hide, act_id, _("The act is hidden."))


@bp.post("/acts/<id:act_id>/restore")
def restore(act_id: int):
    """Show a hidden act again, or dismiss its reports."""
    return _act(moderation.restore, act_id, _("The act is shown again."))


@bp.post("/thanks/<id:thanks_id>/remove")
def remove_thanks(thanks_id: int):
    """Delete a reported thank-you note; its reports are settled with it."""
    return _act(moderation.remove_thanks, thanks_id, _("The thank-you note is removed."))


@bp.post("/thanks/<id:thanks_id>/dismiss")
def dismiss_thanks(thanks_id: int):
    """Nothing wrong with a reported thank-you note: settle its reports, keep it."""
    return _act(moderation.dismiss_thanks, thanks_id, _("The thank-you note stays."))


def _confirm(user_id: int, *, suspended: bool, **words):
    with flash_errors():
        person = moderation.person(get_session(), user_id, suspended=suspended)
        return render_template(
            "confirm.html",
            quote=person.display_name,
            back=url_for(".reports"),
            back_label=_("Back to the reports"),
            **words,
        )
    return redirect(url_for(".reports"))


@bp.get("/users/<id:user_id>/suspend")
def confirm_suspend(user_id: int):
    """Ask before suspending a person."""
    return _confirm(
        user_id,
        suspended=False,
        title=_("Suspend this person?"),
        text=_(
            "They can no longer log in, their sessions end, and all their acts are hidden"
            " from everyone else. You can lift the suspension later."
        ),
        action=url_for(".suspend", user_id=user_id),
        button=_("Suspend"),
    )


@bp.post("/users/<id:user_id>/suspend")
def suspend(user_id: int):
    """Suspend a person: their acts hidden, their login refused."""
    return _act(moderation.suspend, user_id, _("The person is suspended."))


@bp.get("/users/<id:user_id>/unsuspend")
def confirm_unsuspend(user_id: int):
    """Ask before lifting a suspension."""
    return _confirm(
        user_id,
        suspended=True,
        title=_("Lift the suspension?"),
        text=_(
            "They can log in again (with their password: the sessions from before stay"
            " ended), and the acts the suspension hid are shown again. Acts hidden one by"
            " one stay hidden."
        ),
        action=url_for(".unsuspend", user_id=user_id),
        button=_("Lift the suspension"),
    )


@bp.post("/users/<id:user_id>/unsuspend")
def unsuspend(user_id: int):
    """Lift a suspension."""
    return _act(moderation.unsuspend, user_id, _("The suspension is lifted."))
