"""Forms for teams and their weeks: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from kindness.domain.teams import membership
from kindness.web.forms import Form, time_zone_field


class TeamForm(Form):
    name = StringField(
        _l("Team name"), validators=[DataRequired(), Length(max=membership.NAME_MAX)]
    )
    description = TextAreaField(
        _l("What the team is about"),
        validators=[Optional(), Length(max=membership.DESCRIPTION_MAX)],
        render_kw={"rows": 3},
    )
    is_public = BooleanField(
        _l("Public team page"),
        description=_l(
            "Anyone may see the team's page and its public acts; otherwise members only."
        ),
    )


class WeekForm(Form):
    starts_on = DateField(_l("First day of the team's week"), validators=[DataRequired()])


class MoveWeekForm(Form):
    """Move a week that has not begun (rendered with the prefix "move")."""

    starts_on = DateField(_l("New first day"), validators=[DataRequired()])


class TeamSettingsForm(TeamForm):
    time_zone = time_zone_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.description = _l(
            "Decides which day of the team's week is today for everyone in the team."
        )
