"""Forms for sign-up and log-in: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from kindness.domain import accounts
from kindness.web.forms import (
    Form,
    language_field,
    new_password_field,
    time_zone_field,
)
from kindness.web.forms.notifications import NoticeChoices


class SignupForm(NoticeChoices, Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    display_name = StringField(
        _l("Display name"),
        description=_l("Shown to others instead of your real name. A pseudonym is fine."),
        validators=[DataRequired(), Length(min=1, max=accounts.DISPLAY_NAME_MAX)],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"autocomplete": "nickname"},
    )
    password = new_password_field(_l("Password"))
    time_zone = time_zone_field()
    locale = language_field()
    next = HiddenField()


class LoginForm(Form):
    email = EmailField(
        _l("Email"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device for 30 days"))
    next = HiddenField()
