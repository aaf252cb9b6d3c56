"""``/api/v1/me``: the person the token speaks for, their profile and preferences."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from kindness.api.auth import current_person

blueprint = Blueprint(
    "api_me", __name__, url_prefix="/me", description="You: profile and preferences."
)


class MeSchema(Schema):
    display_name = fields.String(metadata={"description": "The name others see."})
    locale = fields.String(metadata={"description": "The language of mail and pages."})
    time_zone = fields.String(metadata={"description": "An IANA time zone name."})


@blueprint.route("")
@blueprint.response(200, MeSchema)
def read_me():
    """Your profile and preferences."""
    return current_person()
