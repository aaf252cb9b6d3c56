"""The person themselves (the API's ``me``): profile and preferences of the Settings
pages. Never the e-mail address, password, sessions or tokens, which stay behind
the password on the web pages."""

from marshmallow import fields, validate

from kindness.models import LANGUAGES, TRAVELLED_CHOICES
from kindness.schemas.base import Shape


class MeSchema(Shape):
    """Dumps a ``User``."""

    display_name = fields.String(
        metadata={"description": "The name others see instead of a real name."}
    )
    time_zone = fields.String(
        metadata={"description": "IANA time zone that decides the person's 'today'."}
    )
    language = fields.String(
        attribute="locale",
        validate=validate.OneOf(list(LANGUAGES)),
        metadata={"description": "Language of the pages and mail.", "enum": list(LANGUAGES)},
    )
    profile_public = fields.Boolean(
        metadata={"description": "Whether the public profile /u/<profile_name> is shown."}
    )
    profile_name = fields.String(
        allow_none=True, metadata={"description": "The public profile's name, if chosen."}
    )
    notify_claimed = fields.Boolean(
        metadata={"description": "Mail when someone claims one of the person's cards."}
    )
    notify_travelled = fields.String(
        validate=validate.OneOf(TRAVELLED_CHOICES),
        metadata={
            "description": "How often to hear by mail that the person's kindness travelled.",
            "enum": list(TRAVELLED_CHOICES),
        },
    )
    notify_team_week = fields.Boolean(
        metadata={"description": "Mail when one of the person's teams plans a week."}
    )
    notify_week_ends = fields.Boolean(
        metadata={"description": "Mail when the person's week is about to end."}
    )
    daily_idea = fields.Boolean(metadata={"description": "An idea of the day in the daily mail."})
    mail_hour = fields.Integer(
        validate=validate.Range(min=0, max=23),
        metadata={"description": "Hour of the day (the person's own zone) of the daily mail."},
    )
    created_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "When the account was made (UTC)."}
    )
