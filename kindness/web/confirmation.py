"""Confirming an address: the mailed link, asking for it again, and "not now"."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import confirmation, links
from kindness.sessions import get_session
from kindness.web.account_mail import BANNER_HIDDEN, bad_link_page, confirm_mail_limit
from kindness.web.boundary import flash_errors
from kindness.web.language import speak_as
from kindness.web.navigation import next_or

bp = Blueprint("confirmation", __name__)


@bp.after_request
def _kept_by_no_cache(response):
    # The link's page carries its token in the address: no shared cache keeps it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/confirm/<token>")
def confirm(token: str):
    """Confirm the address a mailed link names; it needs no log-in, the link proves the mailbox."""
    try:
        done = confirmation.confirm(get_session(), current_app.config["SECRET_KEY"], token)
    except links.BadLink as problem:
        waiting = current_user.is_authenticated and confirmation.waiting_address(current_user)
        return bad_link_page(problem, resend=bool(waiting))
    speak_as(done.user)
    return render_template("accounts/confirmed.html", done=done)


@bp.post("/confirm/send")
@confirm_mail_limit
@login_required
def send():
    """Mail the confirmation link again, to the address that waits for one."""
    with flash_errors():
        confirmation.send_link(get_session(), current_user)
        address = confirmation.waiting_address(current_user)
        flash(_("We have mailed a new link to %(address)s.", address=address), "success")
    return redirect(next_or(request.form.get("next"), "settings.index"))


@bp.post("/confirm/later")
@login_required
def later():
    """Hide the banner until the next sign-in."""
    session[BANNER_HIDDEN] = True
    return redirect(next_or(request.form.get("next")))
