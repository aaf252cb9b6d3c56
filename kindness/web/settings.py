"""The settings page: profile, email and password, and "Download my data"."""

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from kindness.domain import accounts, confirmation, data_exports, profiles
from kindness.extensions import limiter, passwords, setting
from kindness.sessions import get_session
from kindness.web.account_mail import confirm_mail_limit
from kindness.web.boundary import flash_errors, form_errors, form_status
from kindness.web.forms.settings import (
    DeleteAccountForm,
    EmailForm,
    PasswordForm,
    ProfileForm,
    PublicProfileForm,
)

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _render(profile=None, email=None, password=None, public=None):
    """The settings page, with the form that was sent (and its status) when there is one."""
    sent = profile or email or password or public
    profile = profile or ProfileForm(
        formdata=None,
        display_name=current_user.display_name,
        time_zone=current_user.time_zone,
        locale=current_user.locale,
    )
    page = render_template(
        "settings/index.html",
        profile_form=profile,
        email_form=email or EmailForm(formdata=None),
        password_form=password or PasswordForm(formdata=None),
        public_form=public
        or PublicProfileForm(
            formdata=None, public=current_user.profile_public, name=current_user.profile_name
        ),
        data_export=data_exports.current(get_session(), current_user, datetime.now(UTC)),
        export_cap=current_app.config["DATA_EXPORT_MAX_BYTES"],
    )
    return page, form_status(sent) if sent else 200


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
    if form.validate():
        with form_errors(form):
            accounts.update_profile(
                get_session(),
                current_user,
                display_name=form.display_name.data,
                time_zone=form.time_zone.data,
                locale=form.locale.data,
            )
            flash(_("Your profile is saved."), "success")
            return redirect(url_for(".index"))
    return _render(profile=form)


@bp.post("/email")
@confirm_mail_limit
@login_required
def email():
    """Ask to change the email address (the current password first); the new one waits
    for its link, the old one stays the login until then."""
    form = EmailForm()
    if form.validate():
        with form_errors(form):
            new = confirmation.request_change(
                get_session(), passwords(), current_user, form.email.data, form.password.data
            )
            flash(
                _(
                    "We have mailed a link to %(new)s. Until you open it, you log in with %(old)s.",
                    new=new,
                    old=current_user.email,
                ),
                "success",
            )
            return redirect(url_for(".index"))
    return _render(email=form)


@bp.post("/email/cancel")
@login_required
def cancel_email():
    """Keep the current address: the new one no longer waits, its link stops working."""
    with flash_errors():
        confirmation.cancel_change(get_session(), current_user)
        flash(_("The change of address is cancelled."), "info")
    return redirect(url_for(".index"))


@bp.post("/password")
@login_required
def password():
    """Change the password; every other session ends."""
    form = PasswordForm()
    if form.validate():
        user = current_user._get_current_object()
        with form_errors(form):
            accounts.change_password(
                get_session(), passwords(), user, form.current_password.data, form.new_password.data
            )
            # This session carries the old token; sign it in again with the new one.
            login_user(user, remember=bool(request.cookies.get("remember_token")))
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for(".index"))
    return _render(password=form)


def _render_delete(form: DeleteAccountForm):
    page = render_template(
        "confirm.html",
        title=_("Delete your account"),
        heading=_("Delete your account?"),
        text=_(
            "This cannot be undone. Your acts, contacts, notes and weeks are erased, and you"
            " are signed out everywhere. Chains that others continued keep an anonymous"
            " placeholder in your place, so their acts keep theirs."
        ),
        form=form,
        action=url_for(".delete"),
        button=_("Delete my account"),
        back=url_for(".index"),
        back_label=_("Keep it"),
    )
    return page, form_status(form)


@bp.get("/delete")
@login_required
def confirm_delete():
    """Explain what deleting the account does and ask for the password."""
    return _render_delete(DeleteAccountForm(formdata=None))


@bp.post("/delete")
@login_required
def delete():
    """Delete the account; chains stay whole with placeholders."""
    form = DeleteAccountForm()
    if form.validate():
        with form_errors(form):
            accounts.delete_account(
                get_session(), passwords(), current_user._get_current_object(), form.password.data
            )
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for the kindness you gave."), "info")
            return redirect(url_for("main.index"))
    return _render_delete(form)


@bp.post("/public-profile")
@login_required
def public_profile():
    """Turn the public profile on or off."""
    form = PublicProfileForm()
    if form.validate():
        with form_errors(form):
            profiles.set_profile(get_session(), current_user, form.public.data, form.name.data)
            flash(_("Your profile setting is saved."), "success")
            return redirect(url_for(".index"))
    return _render(public=form)


def _data_export_key() -> str:
    # Logged in (login_required runs first), so the allowance is the person's own.
    return f"data-export:{current_user.get_id()}"


def _export_started(_response) -> bool:
    return g.get("data_export_started", False)


def _too_many_exports() -> str:
    return _(
        "You asked for your data several times in a short while. Download the last one,"
        " or ask again tomorrow."
    )


@bp.post("/data")
@login_required
@limiter.limit(
    setting("DATA_EXPORT_LIMIT"),
    key_func=_data_export_key,
    deduct_when=_export_started,
    error_message=_too_many_exports,
)
def ask_for_data():
    """Start gathering the person's data (a job); refused while one is being gathered,
    and past a few a day (each gathers everything the person has)."""
    with flash_errors():
        data_exports.request(get_session(), current_user, datetime.now(UTC))
        g.data_export_started = True
        flash(
            _("We are gathering your data. It is ready in a moment; this page shows it."),
            "success",
        )
    return redirect(url_for(".index", _anchor="data-heading"))


@bp.get("/data/<id:export_id>/download")
@login_required
def download_data(export_id: int):
    """The person's own ready export as a zip; anyone else's is 404."""
    export = data_exports.download(get_session(), current_user, export_id, datetime.now(UTC))
    assert export.content is not None  # a ready export has its content (a check constraint)
    name = f"kindness-data-{export.created_at.date().isoformat()}.zip"
    return Response(
        export.content,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
