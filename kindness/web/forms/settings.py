"""Forms for the settings page: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from kindness.domain import accounts
from kindness.web.forms import Form, language_field, new_password_field, time_zone_field


class ProfileForm(Form):
    display_name = StringField(
        _l("Display name"),
        description=_l("Shown to others instead of your real name. A pseudonym is fine."),
        validators=[DataRequired(), Length(min=1, max=accounts.DISPLAY_NAME_MAX)],
        filters=[lambda value: value.strip() if value else value],
    )
    time_zone = time_zone_field()
    locale = language_field()


class EmailForm(Form):
    email = EmailField(_l("New email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class DeleteAccountForm(Form):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired()],
        render_kw={"autocomplete": "current-password"},
    )


class PublicProfileForm(Form):
    public = BooleanField(_l("Show a public profile with my public acts"))
    name = StringField(
        _l("Profile name"),
        description=_l("Your profile's address: /u/<name>. Small letters, digits, - and _."),
        validators=[Optional(), Length(max=40)],
    )
