"""Forms for the explore filters and reports: they check shape and range; rules that need the
database belong to the domain."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from kindness.domain import explore, moderation
from kindness.domain.teams import directory
from kindness.models import REPORT_REASONS
from kindness.web.forms import Form, select_choices
from kindness.web.forms.acts import category_choices
from kindness.web.labels import ORDER_LABELS, REASON_LABELS, TEAM_ORDER_LABELS


class ExploreForm(Form):
    class Meta:
        csrf = False

    sort = SelectField(_l("Sort by"), default="reach")
    category = SelectField(_l("Category"), default="")
    q = StringField(
        _l("Search public acts"), validators=[Optional(), Length(max=explore.QUERY_MAX)]
    )
    page = IntegerField(
        validators=[Optional(), NumberRange(min=1, max=explore.PAGE_MAX)], default=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort.choices = select_choices(list(ORDER_LABELS.items()))
        self.category.choices = category_choices(blank=_("Any category"))


class TeamDirectoryForm(Form):
    class Meta:
        csrf = False

    q = StringField(
        _l("Search by name or description"),
        validators=[Optional(), Length(max=directory.QUERY_MAX)],
    )
    sort = SelectField(_l("Sort by"), default="name")
    page = IntegerField(
        validators=[Optional(), NumberRange(min=1, max=explore.PAGE_MAX)], default=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort.choices = select_choices(list(TEAM_ORDER_LABELS.items()))


class ReportForm(Form):
    reason = SelectField(_l("Why?"), validators=[DataRequired()])
    text = TextAreaField(
        _l("Anything the moderators should know"),
        validators=[Optional(), Length(max=moderation.REPORT_TEXT_MAX)],
        render_kw={"rows": 3},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = select_choices(
            [(code, REASON_LABELS[code]) for code in REPORT_REASONS]
        )
