"""Sign-up, log-in and log-out."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from kindness.config import moderation_contact
from kindness.domain import accounts, confirmation
from kindness.extensions import limiter, passwords
from kindness.models import LANGUAGES
from kindness.sessions import get_session
from kindness.web import pending_claim
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.accounts import LoginForm, SignupForm
from kindness.web.language import speak_as
from kindness.web.login import start_session
from kindness.web.navigation import next_or
from kindness.web.shared_pages import render_shared

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_LIMIT"]


def _signup_limit() -> str:
    return current_app.config["SIGNUP_LIMIT"]


def _login_account_key() -> str:
    return "login-account:" + accounts.normalise_email(request.form.get("email", ""))


def _failed(response) -> bool:
    # A successful log-in redirects; only failures use up the allowance.
    return response.status_code != 302


@bp.get("/signup")
def signup():
    """Show the sign-up form."""
    if current_user.is_authenticated:
        return redirect(next_or(request.args.get("next")))
    language = session.get("locale") or request.accept_languages.best_match(
        list(LANGUAGES), default="en"
    )

    def render() -> str:
        form = SignupForm(next=request.args.get("next", ""))
        form.locale.data = language
        return render_template("accounts/signup.html", form=form)

    # The language preselected in the form is part of what the shared copy is kept by.
    return render_shared(f"signup:{language}", render)


@bp.post("/signup")
@limiter.limit(_signup_limit, methods=["POST"])
def signup_post():
    """Create an account and log it in."""
    form = SignupForm()
    if form.validate():
        with form_errors(form):
            user = accounts.sign_up(
                get_session(),
                passwords(),
                email=form.email.data,
                display_name=form.display_name.data,
                password=form.password.data,
                time_zone=form.time_zone.data,
                locale=form.locale.data,
                **form.notices(),
            )
            confirmation.send_link(get_session(), user)
            pending = pending_claim.take(form.next.data)
            start_session(user)
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            if pending:
                return redirect(pending_claim.finish(pending, user))
            return redirect(next_or(form.next.data))
    return render_template("accounts/signup.html", form=form), form_status(form)


@bp.get("/login")
def login():
    """Show the log-in form."""
    if current_user.is_authenticated:
        return redirect(next_or(request.args.get("next")))
    return render_shared(
        "login",
        lambda: render_template(
            "accounts/login.html", form=LoginForm(next=request.args.get("next", ""))
        ),
    )


@bp.post("/login")
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_account_key, deduct_when=_failed)
def login_post():
    """Check the credentials and start a session."""
    form = LoginForm()
    if form.validate():
        with form_errors(form):
            user = accounts.authenticate(
                get_session(),
                passwords(),
                form.email.data,
                form.password.data,
                moderation_contact=moderation_contact(current_app.config),
            )
            pending = pending_claim.take(form.next.data)
            start_session(user, remember=form.remember.data)
            if pending:
                return redirect(pending_claim.finish(pending, user))
            return redirect(next_or(form.next.data))
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.post("/logout")
@login_required
def logout():
    """End this session and every other one of the user."""
    user = current_user._get_current_object()
    accounts.revoke_sessions(get_session(), user)
    logout_user()
    session.clear()
    speak_as(user)  # signed out, still in their language
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))
