"""Forms for the address book: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kindness.domain import contacts
from kindness.web.forms import Form


class ContactForm(Form):
    name = StringField(
        _l("Name"),
        description=_l("Only you ever see the names in your address book."),
        validators=[DataRequired(), Length(max=contacts.NAME_MAX)],
    )
    note = TextAreaField(
        _l("Private note"),
        validators=[Optional(), Length(max=contacts.NOTE_MAX)],
        render_kw={"rows": 2},
    )
