"""The inbox: claims and kindness that travelled on."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from kindness import inbox
from kindness.db import get_session

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.get("")
@login_required
def index():
    """Show the newest notices and mark them read."""
    db_session = get_session()
    entries = inbox.entries(db_session, current_user)
    unread = {entry.notification.id for entry in entries if entry.notification.read_at is None}
    inbox.mark_read(db_session, current_user)
    db_session.commit()
    return render_template("inbox/index.html", entries=entries, unread=unread)


def unread_count() -> int:
    """For the navigation: how many notices wait (one query per page)."""
    if not current_user.is_authenticated:
        return 0
    return inbox.unread_count(get_session(), current_user)
