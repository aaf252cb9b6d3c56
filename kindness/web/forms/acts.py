"""Forms for logging acts and filtering the history: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from kindness.domain import acts, contacts, ideas
from kindness.domain.acts import ActInput
from kindness.models import CATEGORIES
from kindness.web.forms import Form, optional_id, select_choices
from kindness.web.labels import CATEGORY_LABELS, VISIBILITY_LABELS


def category_choices(blank: str | None = None):
    pairs = [(code, CATEGORY_LABELS[code]) for code in CATEGORIES]
    return select_choices(pairs, blank=blank)


class ActForm(Form):
    what = TextAreaField(
        _l("What did you do?"),
        validators=[DataRequired(), Length(min=acts.WHAT_MIN, max=acts.WHAT_MAX)],
        render_kw={"rows": 3, "maxlength": acts.WHAT_MAX},
    )
    contact_id = SelectField(_l("For whom"), coerce=optional_id, validate_choice=True)
    new_contact_name = StringField(
        _l("…or someone new"),
        description=_l("Type a name to add a new contact. Names stay private to you."),
        validators=[Optional(), Length(max=contacts.NAME_MAX)],
    )
    performed_on = DateField(_l("When"), validators=[Optional()])
    category = SelectField(_l("Category"), default="other")
    visibility = RadioField(
        _l("Who may see it"),
        choices=select_choices(list(VISIBILITY_LABELS.items())),
        default="private",
    )
    note = TextAreaField(
        _l("Private note"),
        description=_l("Only you ever see this."),
        validators=[Optional(), Length(max=acts.NOTE_MAX)],
        render_kw={"rows": 2},
    )
    next = HiddenField()
    parent_ref = HiddenField()
    # The number of the idea the act came from ("Log this" on the dashboard or in the mail).
    idea = HiddenField()

    def __init__(self, owner_choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_id.choices = select_choices(owner_choices, blank=_("Nobody named"))
        self.category.choices = category_choices()

    def validate_idea(self, field) -> None:
        if field.data and self.idea_number() is None:
            raise ValidationError(
                _l("We do not know that idea. Send the form again to log the act without it.")
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.idea.errors:
            # A hidden field has no place for its message: it goes above the form, and
            # the bad value goes, so that sending again logs the act without it.
            self.form_errors.extend(self.idea.errors)
            self.idea.data = ""
        return valid

    def idea_number(self) -> int | None:
        """The idea's number when the field names a known one, else None."""
        value = (self.idea.data or "").strip()
        if not (value.isascii() and value.isdigit()) or len(value) > 5:
            return None
        return int(value) if ideas.by_number(int(value)) is not None else None

    def to_input(self) -> ActInput:
        return ActInput(
            what=self.what.data or "",
            performed_on=self.performed_on.data,
            contact_id=self.contact_id.data,
            new_contact_name=self.new_contact_name.data,
            category=self.category.data or "other",
            visibility=self.visibility.data or "private",
            note=self.note.data,
            parent_ref=self.parent_ref.data or None,
        )


class HistoryForm(Form):
    """The history filters, read from the query string."""

    class Meta:
        csrf = False

    contact = SelectField(_l("For whom"), coerce=optional_id, validate_choice=True)
    category = SelectField(_l("Category"), default="", validate_choice=True)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100_000)], default=1)

    def __init__(self, owner_choices, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact.choices = select_choices(owner_choices, blank=_("Anyone"))
        self.category.choices = category_choices(blank=_("Any category"))


class SeveralForm(Form):
    """One act for several people: names one per line, and/or a number of unnamed people."""

    what = TextAreaField(
        _l("What did you do?"),
        validators=[DataRequired(), Length(min=acts.WHAT_MIN, max=acts.WHAT_MAX)],
        render_kw={"rows": 3, "maxlength": acts.WHAT_MAX},
    )
    names = TextAreaField(
        _l("For whom: one name per line"),
        description=_l(
            "Each name becomes one of your contacts (an existing one is reused). "
            "Names stay private to you. At most %(max)d people in one go.",
            max=acts.SEVERAL_MAX,
        ),
        validators=[Optional(), Length(max=acts.SEVERAL_MAX * (contacts.NAME_MAX + 2))],
        render_kw={"rows": 8},
    )
    unnamed = IntegerField(
        _l("…and how many people without a name"),
        validators=[Optional(), NumberRange(min=0, max=acts.SEVERAL_MAX)],
        default=0,
        render_kw={"min": 0, "max": acts.SEVERAL_MAX, "inputmode": "numeric"},
    )
    performed_on = DateField(_l("When"), validators=[Optional()])
    category = SelectField(_l("Category"), default="other")
    visibility = RadioField(
        _l("Who may see it"),
        choices=select_choices(list(VISIBILITY_LABELS.items())),
        default="private",
    )
    show_text = BooleanField(_l("Show what I did on the cards"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()

    def to_input(self) -> ActInput:
        return ActInput(
            what=self.what.data or "",
            performed_on=self.performed_on.data,
            category=self.category.data or "other",
            visibility=self.visibility.data or "private",
        )

    def name_list(self) -> list[str]:
        return (self.names.data or "").splitlines()
