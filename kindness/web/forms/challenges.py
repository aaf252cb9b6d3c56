"""Forms for starting a week and reflecting on it: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kindness.domain import challenges
from kindness.web.forms import Form


class StartForm(Form):
    pledge = BooleanField(
        _l("For these seven days I give without expecting anything back."),
        validators=[DataRequired(message=_l("Please tick the no-strings pledge to start."))],
    )
    starts_on = DateField(_l("First day"), validators=[Optional()])


class ReflectionForm(Form):
    reflection = TextAreaField(
        _l("Your reflection"),
        description=_l("What did the week give you? Only you see this."),
        validators=[Optional(), Length(max=challenges.REFLECTION_MAX)],
        render_kw={"rows": 4},
    )
