"""The moderators' queue: reports, hide or restore an act, suspend a person."""

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
    """Show the open reports and the latest moderation steps."""
    db_session = get_session()
    return render_template(
        "admin/reports.html",
        reports=moderation.queue(db_session),
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


@bp.post("/users/<id:user_id>/suspend")
def suspend(user_id: int):
    """Suspend a person: their acts hidden, their login refused."""
    return _act(moderation.suspend, user_id, _("The person is suspended."))


@bp.post("/users/<id:user_id>/unsuspend")
def unsuspend(user_id: int):
    """Lift a suspension."""
    return _act(moderation.unsuspend, user_id, _("The suspension is lifted."))
