"""The inbox: notices of claims, kindness that travelled on, and team weeks."""

from marshmallow import fields

from kindness.models import DATA_EXPORT_STATES, NOTICE_KINDS
from kindness.schemas.base import Present, Shape
from kindness.schemas.thanks import ThanksSchema


class TeamWeekAboutSchema(Shape):
    """Dumps a ``domain.inbox.TeamWeekAbout``."""

    id = fields.Integer(dump_only=True, metadata={"description": "The team week's number."})
    team_name = fields.String(dump_only=True, metadata={"description": "The team's name."})
    team_slug = fields.String(
        dump_only=True, metadata={"description": "The team's address (/teams/<slug>)."}
    )
    starts_on = fields.Date(dump_only=True, metadata={"description": "The week's first date."})
    ends_on = fields.Date(dump_only=True, metadata={"description": "The week's last date."})
    cancelled = fields.Boolean(
        dump_only=True, metadata={"description": "Whether the week was cancelled."}
    )


class ExportAboutSchema(Shape):
    """Dumps a ``domain.inbox.ExportAbout``."""

    id = fields.Integer(dump_only=True, metadata={"description": "The export's number."})
    state = fields.String(
        dump_only=True,
        metadata={"description": "Ready, or failed.", "enum": list(DATA_EXPORT_STATES)},
    )
    expires_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "When it is deleted (UTC)."}
    )


class NotificationSchema(Shape):
    """Dumps a ``domain.inbox.Entry``."""

    id = fields.Integer(
        attribute="notification.id",
        dump_only=True,
        metadata={"description": "The notice's number (to mark it read)."},
    )
    kind = fields.String(
        attribute="notification.kind",
        dump_only=True,
        metadata={"description": "What happened.", "enum": list(NOTICE_KINDS)},
    )
    created_at = fields.AwareDateTime(
        attribute="notification.created_at",
        dump_only=True,
        metadata={"description": "When it happened (UTC)."},
    )
    read = Present(
        attribute="notification.read_at",
        metadata={"description": "Whether the person has marked it read."},
    )
    read_at = fields.AwareDateTime(
        attribute="notification.read_at",
        dump_only=True,
        allow_none=True,
        metadata={"description": "When it was marked read (UTC)."},
    )
    act_ref = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The person's act it is about (null on a team week's)."},
    )
    act_what = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "That act's text."}
    )
    generations = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The act's chain's generations, as its page shows them."},
    )
    reach = fields.Integer(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The people in the act's chain, as its page shows them."},
    )
    claimer_name = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Who claimed the card, if they chose to be named."},
    )
    thanks = fields.Nested(
        ThanksSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "The claimer's thank-you note, on a claim."},
    )
    team_week = fields.Nested(
        TeamWeekAboutSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "The team week a week's notice names."},
    )
    data_export = fields.Nested(
        ExportAboutSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "The data export a data_export notice names."},
    )
