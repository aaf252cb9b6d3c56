"""The inbox: claims and kindness that travelled on."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import inbox
from kindness.sessions import get_session
from kindness.web.converters import parse_id

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("")
@login_required
def index():
    """Show the newest notices, the unread ones marked."""
    entries = inbox.entries(get_session(), current_user)
    unread = [entry.notification.id for entry in entries if entry.notification.read_at is None]
    return render_template("inbox/index.html", entries=entries, unread=unread)


@bp.post("/read")
@login_required
def mark_read():
    """Mark the notices that were shown as read."""
    values = request.form.getlist("id")
    # The inbox shows at most ENTRIES notices; more ids than that come from no page of ours.
    if len(values) > inbox.ENTRIES:
        abort(400, _("Too many notices at once."))
    ids = [number for value in values if (number := parse_id(value)) is not None]
    inbox.mark_read(get_session(), current_user, ids)
    return redirect(url_for(".index"))


def unread_count() -> int:
    """For the navigation: how many notices wait (one query per page)."""
    if not current_user.is_authenticated:
        return 0
    return inbox.unread_count(get_session(), current_user)
