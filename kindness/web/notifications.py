"""Notices by mail: Settings → Notifications (each choice one click), and the
one-click unsubscribe link every notice mail carries (RFC 8058).

The unsubscribe link works without logging in: its signed token names the
person and the kinds it turns off. Opening it (GET) only asks; a mail scanner
that follows links changes nothing. The POST turns them off, and takes no CSRF
token, because a mail client posts ``List-Unsubscribe=One-Click`` with no cookie.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import links
from kindness.domain.notices import choices
from kindness.extensions import csrf
from kindness.models import TRAVELLED_CHOICES, User
from kindness.sessions import get_session
from kindness.web.account_mail import bad_link_page
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.notifications import ChoiceForm
from kindness.web.language import speak_as

bp = Blueprint("notifications", __name__)

HOURS = range(24)


def _render(form: ChoiceForm | None = None):
    page = render_template(
        "notifications/index.html",
        form=form,
        notices=[(kind, choices.is_on(current_user, kind)) for kind in choices.KINDS],
        travelled=[(value, current_user.notify_travelled == value) for value in TRAVELLED_CHOICES],
        hours=HOURS,
    )
    return page, form_status(form) if form is not None else 200


@bp.get("/settings/notifications")
@login_required
def index():
    """Show each notice by mail, whether it is on, and the hour of the daily letter."""
    return _render()


@bp.post("/settings/notifications")
@login_required
def change():
    """Change one choice."""
    form = ChoiceForm()
    if form.validate():
        with form_errors(form):
            choices.set_choice(get_session(), current_user, form.kind.data, form.value.data)
            flash(_("Your choice is saved."), "success")
            return redirect(url_for(".index"))
    return _render(form)


def _wanted(token: str) -> tuple[choices.Unsubscribe, User]:
    """What the link turns off and for whom, in that person's language; a bad link
    raises ``links.BadLink``."""
    session = get_session()
    wanted = choices.unsubscribing(session, current_app.config["SECRET_KEY"], token)
    person = session.get_one(User, wanted.user_id)
    speak_as(person)
    return wanted, person


@bp.get("/unsubscribe/<token>")
def unsubscribe(token: str):
    """Say what the link turns off, with the button that does it."""
    try:
        wanted, person = _wanted(token)
    except links.BadLink as problem:
        return bad_link_page(problem, notifications=True)
    # Opened again after its click: say they are off rather than offer the button again.
    done = not any(choices.is_on(person, kind) for kind in wanted.kinds)
    return render_template(
        "notifications/unsubscribe.html", kinds=wanted.kinds, token=token, done=done
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt
def unsubscribe_post(token: str):
    """Turn the link's kinds of notice off: the button, or a mail client's one click."""
    try:
        wanted, _person = _wanted(token)
    except links.BadLink as problem:
        return bad_link_page(problem, notifications=True)
    choices.turn_off(get_session(), wanted)
    return render_template("notifications/unsubscribe.html", kinds=wanted.kinds, done=True)
