"""``/api/v1/me``: the person the token speaks for, their profile and preferences.

A change goes through the functions of the Settings pages (profile, public
profile, notifications), only for the fields sent; the request boundary rolls
every one back when any is refused. Never the e-mail address, password,
deletion or tokens: those stay behind the password on the web pages."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from marshmallow import Schema, fields, validate

from kindness.api import strict
from kindness.api.auth import current_person
from kindness.api.strict import Blueprint
from kindness.domain import accounts, profiles
from kindness.domain.errors import DomainError
from kindness.domain.notices import choices
from kindness.domain.profiles import set_profile
from kindness.models import LANGUAGES, TRAVELLED_CHOICES, User
from kindness.schemas.me import MeSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_me", __name__, url_prefix="/me", description="You: profile and preferences."
)

# Each notice choice of MeSchema, and the kind Settings → Notifications calls it.
NOTICE_KINDS: dict[str, str] = {
    **{column: kind for kind, column in choices.SWITCHES.items()},
    "notify_travelled": "travelled",
    "mail_hour": choices.MAIL_HOUR,
}


class MeChanges(Schema):
    """What a PATCH may change; every field may be left out (it then stays)."""

    display_name = fields.String(
        validate=validate.Length(min=1, max=accounts.DISPLAY_NAME_MAX),
        metadata={"description": "The name others see instead of a real name."},
    )
    time_zone = fields.String(
        validate=validate.Length(min=1, max=64),
        metadata={"description": "An IANA time zone, such as Europe/Berlin, or UTC."},
    )
    language = fields.String(
        validate=validate.OneOf(list(LANGUAGES)),
        metadata={"description": "Language of the pages and mail."},
    )
    profile_public = strict.Boolean(
        metadata={"description": "Show the public profile (it needs a profile_name)."}
    )
    profile_name = fields.String(
        allow_none=True,
        validate=validate.Length(max=profiles.NAME_MAX),
        metadata={
            "description": "The public profile's name: 3 to 40 small letters, digits, - and _."
        },
    )
    notify_claimed = strict.Boolean(
        metadata={"description": "Mail when someone claims one of your cards."}
    )
    notify_travelled = fields.String(
        validate=validate.OneOf(TRAVELLED_CHOICES),
        metadata={"description": "How often to hear by mail that your kindness travelled."},
    )
    notify_team_week = strict.Boolean(
        metadata={"description": "Mail when one of your teams plans a week."}
    )
    notify_week_ends = strict.Boolean(
        metadata={"description": "Mail when your week is about to end."}
    )
    daily_idea = strict.Boolean(metadata={"description": "An idea of the day in the daily mail."})
    mail_hour = strict.Integer(
        validate=validate.Range(min=0, max=23),
        metadata={"description": "Hour of the day (your own zone) of the daily mail."},
    )


@contextmanager
def _told_as(names: dict[str, str]) -> Iterator[None]:
    """A domain error about a field of a Settings form, told with the API's name
    of that field."""
    try:
        yield
    except DomainError as error:
        if error.field in names:
            error.field = names[error.field]
        raise


def _notice_value(value: bool | int | str) -> str:
    """A choice as the Notifications page sends it."""
    if isinstance(value, bool):
        return choices.ON if value else choices.OFF
    return str(value)


def _change(person: User, changes: dict[str, Any]) -> None:
    session = get_session()
    with _told_as({"locale": "language"}):
        accounts.update_profile(
            session,
            person,
            display_name=changes.get("display_name"),
            time_zone=changes.get("time_zone"),
            locale=changes.get("language"),
        )
    if "profile_public" in changes or "profile_name" in changes:
        with _told_as({"name": "profile_name"}):
            set_profile(
                session,
                person,
                changes.get("profile_public", person.profile_public),
                changes.get("profile_name", person.profile_name),
            )
    for field, kind in NOTICE_KINDS.items():
        if field in changes:
            with _told_as({"value": field, "kind": field}):
                choices.set_choice(session, person, kind, _notice_value(changes[field]))


@blueprint.route("")
@blueprint.response(200, MeSchema)
def read_me():
    """Your profile and preferences."""
    return current_person()


@blueprint.route("", methods=["PATCH"])
@blueprint.arguments(MeChanges)
@blueprint.response(200, MeSchema)
def change_me(changes: dict[str, Any]):
    """Change your profile and preferences.

    Only the fields sent change. When one is refused (422), none does."""
    person = current_person()
    _change(person, changes)
    return person
