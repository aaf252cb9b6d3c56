"""What several forms share: time zone, language and password fields, and
showing a domain error on the field it concerns."""

import zoneinfo
from functools import cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Length

from kindness.domain import passwords
from kindness.domain.errors import DomainError
from kindness.models import LANGUAGES


@cache
def time_zone_choices() -> list[SelectChoice]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [
        SelectChoice(name, name.replace("_", " ")) for name in names if not name.startswith("Etc/")
    ]


def time_zone_field() -> SelectField:
    # data-detect-time-zone lets static/js/timezone.js preselect the browser's zone.
    return SelectField(
        _l("Time zone"),
        choices=time_zone_choices,
        default="UTC",
        validate_choice=True,
        render_kw={"data-detect-time-zone": ""},
    )


def language_choices() -> list[SelectChoice]:
    # Read on every form, never copied at import: LANGUAGES is the one list.
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()]


def language_field() -> SelectField:
    return SelectField(_l("Language"), choices=language_choices, default="en")


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=passwords.MIN_LENGTH,
                max=passwords.MAX_LENGTH,
                message=_l(
                    "Use between %(min)d and %(max)d characters.",
                    min=passwords.MIN_LENGTH,
                    max=passwords.MAX_LENGTH,
                ),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
    )


def attach_error(form: FlaskForm, error: DomainError) -> None:
    """Show a domain error under its field, or above the form when it names none."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type != "HiddenField":
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def optional_id(value) -> int | None:
    """Coerce a select's value to an id, with the empty choice meaning none."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 11:
        return int(value)
    raise ValueError("not an id")


def select_choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Turn (value, label) pairs into choices, with an optional empty first choice."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(value, label) for value, label in pairs]
