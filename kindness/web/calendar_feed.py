"""The private calendar feed at /calendar/<token>.ics and its settings page."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import calendar_feed
from kindness.domain.dates import today_for
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web import calendar_ics

bp = Blueprint("calendar", __name__)

# A browser or calendar app may keep a copy an hour; no shared cache may keep one.
MAX_AGE = 3600


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    """Serve a person's weeks as a calendar: no login, the secret link is the key."""
    db_session = get_session()
    user = calendar_feed.owner_of(db_session, token)
    body = calendar_ics.feed(user, calendar_feed.days(db_session, user, today_for(user)))
    response = make_response(body)
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = f"private, max-age={MAX_AGE}"
    response.headers["X-Robots-Tag"] = "noindex"
    # The same data gives the same bytes: an app asking again gets a 304.
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/settings/calendar")
@login_required
def settings():
    """Show the calendar link, or offer to make one."""
    token = current_user.calendar_token
    url = absolute_url_for("calendar.feed", token=token) if token else None
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    return render_template("calendar/settings.html", url=url, webcal=webcal)


@bp.post("/settings/calendar/link")
@login_required
def make_link():
    """Make the calendar link, or a new one in place of the old."""
    replaced = current_user.calendar_token is not None
    calendar_feed.make_link(get_session(), current_user)
    if replaced:
        flash(_("Here is your new calendar link; the old one no longer works."), "success")
    else:
        flash(_("Your calendar link is ready."), "success")
    return redirect(url_for(".settings"))


@bp.post("/settings/calendar/stop")
@login_required
def stop():
    """Stop the feed: its link no longer works."""
    calendar_feed.stop(get_session(), current_user)
    flash(_("The calendar feed is stopped; its link no longer works."), "info")
    return redirect(url_for(".settings"))
