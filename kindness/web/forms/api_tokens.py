"""The form that makes a personal access token: its shape only; the rules
(a name, a known scope, a last day from today on, the cap) are the domain's."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, StringField
from wtforms.validators import Optional

from kindness.domain.api_tokens import NAME_MAX
from kindness.web.forms import Form, select_choices


class TokenForm(Form):
    name = StringField(
        _l("Name"),
        description=_l("What uses it, so that you recognise it later: “Phone shortcut”, say."),
        render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
    )
    scope = RadioField(
        _l("What it may do"),
        choices=select_choices([("read", _l("Read only")), ("read-write", _l("Read and write"))]),
        default="read",
        validate_choice=False,  # an unknown scope is the domain's to refuse
    )
    expires_on = DateField(
        _l("Last day (optional)"),
        description=_l("It stops working after this day (UTC). Empty: until you revoke it."),
        validators=[Optional()],
    )
