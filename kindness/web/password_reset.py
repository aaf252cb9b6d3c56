"""A forgotten password: asking for a link (/password/forgot) and setting a new
password with it (/password/reset/<token>)."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from kindness.config import moderation_contact
from kindness.domain import accounts, links, password_reset
from kindness.extensions import limiter, passwords, setting
from kindness.sessions import get_session
from kindness.web.account_mail import bad_link_page
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.password import ForgotForm, ResetForm
from kindness.web.language import speak_as
from kindness.web.login import start_session

bp = Blueprint("password", __name__, url_prefix="/password")


@bp.after_request
def _kept_by_no_cache(response):
    # Its pages carry a working link in their address: no shared or back-button cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _per_address() -> str:
    return "reset-address:" + accounts.normalise_email(request.form.get("email", ""))


def _too_many() -> str:
    # The same words for every address: a limit must not tell whether an account exists.
    return _(
        "Several new passwords were asked for in a short time. Please wait an hour before"
        " asking again, and look in your spam folder: the mail may be there already."
    )


@bp.get("/forgot")
def forgot():
    """Ask for the address to mail a link to."""
    return render_template("password/forgot.html", form=ForgotForm())


@bp.post("/forgot")
@limiter.limit(setting("RESET_IP_LIMIT"), error_message=_too_many)
@limiter.limit(setting("RESET_LIMIT"), key_func=_per_address, error_message=_too_many)
def forgot_post():
    """Mail a link when an account uses the address; answer the same either way."""
    form = ForgotForm()
    if not form.validate():
        return render_template("password/forgot.html", form=form), 422
    password_reset.ask(get_session(), form.email.data)
    return redirect(url_for(".sent"))


@bp.get("/forgot/sent")
def sent():
    """Say what happens next, without saying whether an account uses the address."""
    return render_template("password/sent.html")


def _refusal(token: str):
    """The page for a link that no longer works, or None when it works (and its form is
    offered)."""
    try:
        user = password_reset.check(
            get_session(),
            current_app.config["SECRET_KEY"],
            token,
            moderation_contact=moderation_contact(current_app.config),
        )
    except links.BadLink as problem:
        return bad_link_page(problem, ask_again=True)
    speak_as(user)
    return None


@bp.get("/reset/<token>")
def reset(token: str):
    """Show the form for a new password, when the link still works."""
    return _refusal(token) or render_template("password/reset.html", form=ResetForm(), token=token)


@bp.post("/reset/<token>")
def reset_post(token: str):
    """Set the new password, end every other session and sign this browser in."""
    refusal = _refusal(token)
    if refusal is not None:
        return refusal
    form = ResetForm()
    if form.validate():
        with form_errors(form):
            user = password_reset.reset(
                get_session(),
                passwords(),
                current_app.config["SECRET_KEY"],
                token,
                form.password.data,
                moderation_contact=moderation_contact(current_app.config),
            )
            start_session(user)
            flash(_("Your new password is set. Other devices are signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("password/reset.html", form=form, token=token), form_status(form)
