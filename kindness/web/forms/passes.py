"""Forms for pass-it-on cards and claims: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class PassForm(FlaskForm):
    show_text = BooleanField(_l("Show what I did on the card"))
    # Sent by the one-step "Pass it on" buttons: an open card is kept as it is.
    keep = BooleanField()


class ClaimForm(FlaskForm):
    named = BooleanField(
        _l("Show my display name in the chain"),
        description=_l("Otherwise you appear as “someone”."),
    )
