"""The settings page: profile, email and password."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kindness.domain import accounts, profiles
from kindness.domain.errors import DomainError
from kindness.extensions import passwords
from kindness.sessions import get_session
from kindness.web.forms import attach_error
from kindness.web.forms.settings import (
    DeleteAccountForm,
    EmailForm,
    PasswordForm,
    ProfileForm,
    PublicProfileForm,
)

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _render(profile=None, email=None, password=None, public=None):
    profile = profile or ProfileForm(
        formdata=None,
        display_name=current_user.display_name,
        time_zone=current_user.time_zone,
        locale=current_user.locale,
    )
    return render_template(
        "settings/index.html",
        profile_form=profile,
        email_form=email or EmailForm(formdata=None),
        password_form=password or PasswordForm(formdata=None),
        public_form=public
        or PublicProfileForm(
            formdata=None, public=current_user.profile_public, name=current_user.profile_name
        ),
    )


@bp.get("")
@login_required
def index():
    """Show the settings forms."""
    return _render()


@bp.post("/profile")
@login_required
def profile():
    """Save display name, time zone and language."""
    form = ProfileForm()
    if not form.validate():
        return _render(profile=form)
    db_session = get_session()
    accounts.update_profile(
        db_session,
        current_user,
        display_name=form.display_name.data,
        time_zone=form.time_zone.data,
        locale=form.locale.data,
    )
    db_session.commit()
    flash(_("Your profile is saved."), "success")
    return redirect(url_for(".index"))


@bp.post("/email")
@login_required
def email():
    """Change the email address, after checking the current password."""
    form = EmailForm()
    if form.validate():
        db_session = get_session()
        try:
            accounts.change_email(
                db_session, passwords(), current_user, form.email.data, form.password.data
            )
        except DomainError as error:
            db_session.rollback()
            attach_error(form, error)
        else:
            db_session.commit()
            flash(_("Your email address is changed."), "success")
            return redirect(url_for(".index"))
    return _render(email=form)


@bp.post("/password")
@login_required
def password():
    """Change the password; every other session ends."""
    form = PasswordForm()
    if form.validate():
        db_session = get_session()
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                db_session, passwords(), user, form.current_password.data, form.new_password.data
            )
        except DomainError as error:
            db_session.rollback()
            attach_error(form, error)
        else:
            db_session.commit()
            # This session carries the old token; sign it in again with the new one.
            login_user(user, remember=bool(request.cookies.get("remember_token")))
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for(".index"))
    return _render(password=form)


@bp.get("/delete")
@login_required
def confirm_delete():
    """Explain what deleting the account does and ask for the password."""
    return render_template("settings/delete.html", form=DeleteAccountForm(formdata=None))


@bp.post("/delete")
@login_required
def delete():
    """Delete the account; chains stay whole with placeholders."""
    form = DeleteAccountForm()
    if form.validate():
        db_session = get_session()
        try:
            accounts.delete_account(
                db_session, passwords(), current_user._get_current_object(), form.password.data
            )
        except DomainError as error:
            db_session.rollback()
            attach_error(form, error)
        else:
            db_session.commit()
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for the kindness you gave."), "info")
            return redirect(url_for("main.index"))
    return render_template("settings/delete.html", form=form)


@bp.post("/public-profile")
@login_required
def public_profile():
    """Turn the public profile on or off."""
    form = PublicProfileForm()
    if form.validate():
        db_session = get_session()
        try:
            profiles.set_profile(db_session, current_user, form.public.data, form.name.data)
        except DomainError as error:
            db_session.rollback()
            attach_error(form, error)
        else:
            db_session.commit()
            flash(_("Your profile setting is saved."), "success")
            return redirect(url_for(".index"))
    return _render(public=form)
