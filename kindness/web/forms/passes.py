"""Forms for pass-it-on cards, claims and thank-you notes: they check shape and
range; rules that need the database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from kindness.models import THANKS_MAX
from kindness.web.forms import Form


class PassForm(Form):
    show_text = BooleanField(_l("Show what I did on the card"))
    # Sent by the one-step "Pass it on" buttons: an open card is kept as it is.
    keep = BooleanField()


class ClaimForm(Form):
    named = BooleanField(
        _l("Show my display name in the chain"),
        description=_l("Otherwise you appear as “someone”."),
    )


class NamedForm(Form):
    """Change, after the claim, whether one's name shows in the chain."""

    named = BooleanField(_l("Show my display name in the chain"))


class ThanksForm(Form):
    text = TextAreaField(
        _l("A thank-you for the giver (optional)"),
        description=_l("Only the giver reads it. You can delete it later."),
        validators=[
            DataRequired(_l("Write a few words, or leave it: a thank-you is never owed.")),
            Length(max=THANKS_MAX),
        ],
        filters=[lambda value: value.strip() if value else value],
        render_kw={"rows": 3, "maxlength": THANKS_MAX},
    )
    next = HiddenField()
