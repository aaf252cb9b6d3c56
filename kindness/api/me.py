"""``/api/v1/me``: the person the token speaks for, their profile and preferences."""

from flask_smorest import Blueprint

from kindness.api.auth import current_person
from kindness.schemas.me import MeSchema

blueprint = Blueprint(
    "api_me", __name__, url_prefix="/me", description="You: profile and preferences."
)


@blueprint.route("")
@blueprint.response(200, MeSchema)
def read_me():
    """Your profile and preferences."""
    return current_person()
