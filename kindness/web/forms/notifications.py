"""Forms for the notices by mail: one choice changed per click in Settings →
Notifications, and the choices offered at sign-up. They check shape; which
values a choice takes is the domain's (``domain.notices.choices``)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Length

from kindness.web.forms import Form, select_choices
from kindness.web.labels import NOTICE_LABELS, TRAVELLED_LABELS


class ChoiceForm(Form):
    """One button of the notifications page: which choice, and its new value."""

    kind = StringField(validators=[DataRequired(), Length(max=20)])
    value = StringField(validators=[DataRequired(), Length(max=12)])


def travelled_field() -> RadioField:
    return RadioField(
        NOTICE_LABELS["travelled"],
        choices=select_choices(list(TRAVELLED_LABELS.items())),
        default="weekly",
        validate_choice=True,
    )


class NoticeChoices:
    """The notice choices of the sign-up form, with the defaults of a new account.

    The hidden ``notices_shown`` tells a form that offered them from a request
    that did not (a script posting only the required fields): an unticked box
    means "off" only when it was shown."""

    notices_shown = HiddenField(default="1")
    notify_claimed = BooleanField(NOTICE_LABELS["claimed"], default=True)
    notify_travelled = travelled_field()
    notify_team_week = BooleanField(NOTICE_LABELS["team_week"], default=True)
    notify_week_ends = BooleanField(NOTICE_LABELS["week_ends"], default=False)
    daily_idea = BooleanField(
        NOTICE_LABELS["daily_idea"],
        description=_l("During a week of yours, at the hour you choose in Settings."),
        default=False,
    )

    def notice_fields(self) -> list[Field]:
        return [
            getattr(self, name)
            for name in (
                "notify_claimed",
                "notify_travelled",
                "notify_team_week",
                "notify_week_ends",
                "daily_idea",
            )
        ]

    def notices(self) -> dict[str, Any]:
        """The choices as ``accounts.sign_up`` takes them (none when not shown)."""
        if not self.notices_shown.raw_data:  # not sent with the form
            return {}
        return {field.name: field.data for field in self.notice_fields()}
