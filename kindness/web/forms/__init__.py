"""What several forms share: time zone, language and password fields, and
showing a domain error on the field it concerns."""

from functools import cache

from babel import support
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import PasswordField, SelectChoice, SelectField
from wtforms.fields.choices import Choice
from wtforms.i18n import messages_path
from wtforms.validators import DataRequired, Length
from wtforms.widgets import Select, html_params

from kindness.domain import dates, passwords
from kindness.domain.errors import DomainError
from kindness.models import LANGUAGES


@cache
def _wtforms_catalog(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class _WTFormsMessages:
    """WTForms' own messages ("This field is required.", a field's default label)
    in the request's language. Flask-WTF reads and parses WTForms' catalog from
    disk again in every request that asks (a few milliseconds: any form with a
    field without a label asks); this reads it once per language and process."""

    def gettext(self, string: str) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalog(str(get_locale() or "en")).ungettext(singular, plural, n)


_MESSAGES = _WTFormsMessages()


class Form(FlaskForm):
    """The app's forms: Flask-WTF's, with WTForms' messages read once (above)."""

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)  # type: ignore[misc]
            return _MESSAGES


@cache
def time_zone_choices() -> list[SelectChoice]:
    # The domain's list, so that the form offers exactly what the domain accepts.
    return [SelectChoice(name, name.replace("_", " ")) for name in dates.time_zones()]


@cache
def _time_zone_options() -> tuple[tuple[Markup, ...], dict[str, int]]:
    """Every zone's ``<option>``, as WTForms draws it, and where each zone is."""
    choices = time_zone_choices()
    options = tuple(Select.render_option(Choice(c.value, c.label, False, None)) for c in choices)
    return options, {choice.value: n for n, choice in enumerate(choices)}


class TimeZoneSelect(Select):
    """WTForms' select of the ~590 time zones, drawn from options escaped once per
    process (a zone's label is its name, in no language); a render draws only the
    chosen zone's option anew. The same markup as ``Select`` (tests/web/test_forms.py)."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for key in self.validation_attrs:
            if key not in kwargs and getattr(flags, key, False):
                kwargs[key] = getattr(flags, key)
        options, where = _time_zone_options()
        chosen = where.get(field.data) if isinstance(field.data, str) else None
        parts: list[str] = list(options)
        if chosen is not None:
            choice = time_zone_choices()[chosen]
            parts[chosen] = Select.render_option(Choice(choice.value, choice.label, True, None))
        select = f"<select {html_params(name=field.name, **kwargs)}>"
        return Markup(select + "".join(parts) + "</select>")  # noqa: S704 (WTForms' escaped parts)


def time_zone_field() -> SelectField:
    # data-detect-time-zone lets static/js/timezone.js preselect the browser's zone.
    return SelectField(
        _l("Time zone"),
        choices=time_zone_choices,
        default="UTC",
        validate_choice=True,
        render_kw={"data-detect-time-zone": ""},
        widget=TimeZoneSelect(),
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
