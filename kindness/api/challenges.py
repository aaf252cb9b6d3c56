"""``/api/v1/challenges``: the person's one-week challenges (the weeks of the
Weeks page): the current one, start, abandon, reflect, and the past weeks."""

from marshmallow import Schema, fields, validate

from kindness.api import keys, pagination, strict
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain import challenges
from kindness.domain.dates import today_for
from kindness.schemas.challenges import ChallengeSchema, ChallengeWeek
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_challenges",
    __name__,
    url_prefix="/challenges",
    description="Your one-week challenges: start one, set it aside, reflect on it.",
)


class CurrentWeekSchema(Schema):
    week = fields.Nested(
        ChallengeSchema,
        allow_none=True,
        required=True,
        metadata={"description": "The running or scheduled week; null when there is none."},
    )


class WeekStartSchema(Schema):
    pledge = strict.Boolean(
        required=True,
        metadata={
            "description": "The no-strings pledge: “For these seven days I give without "
            "expecting anything back.” Must be true."
        },
    )
    starts_on = fields.Date(
        load_default=None,
        metadata={
            "description": "The first day, your local date: today (the default) or up to "
            f"{challenges.SCHEDULE_AHEAD_DAYS} days ahead."
        },
    )


class WeekReflectionSchema(Schema):
    reflection = fields.String(
        required=True,
        allow_none=True,
        validate=validate.Length(max=challenges.REFLECTION_MAX),
        metadata={
            "description": "What the week gave you; only you see it. Empty or null clears it."
        },
    )


def _week(challenge) -> ChallengeWeek:
    """The week as the API shows one: its status today and its tally."""
    tally = challenges.progress(get_session(), challenge).tally
    return ChallengeWeek.of(challenge, today_for(current_person()), tally)


@blueprint.route("/current")
@blueprint.response(200, CurrentWeekSchema)
def read_current():
    """Your running or scheduled week, with its tally so far.

    Answers `{"week": null}` when no week is running or scheduled (a week that
    finished or was set aside is not current): start one with `POST /challenges`."""
    person = current_person()
    challenge = challenges.current(get_session(), person, today_for(person))
    return {"week": _week(challenge) if challenge is not None else None}


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(ChallengeSchema, "ChallengePage"))
def list_weeks(args):
    """All your weeks, newest first, each with its tally and reflection."""
    person = current_person()
    today = today_for(person)
    rows = challenges.history_with_tallies(
        get_session(), person, after=keys.dated_key(args["cursor"]), limit=args["limit"] + 1
    )
    weeks = [ChallengeWeek.of(challenge, today, tally) for challenge, tally in rows]
    return pagination.page(
        weeks,
        args["limit"],
        lambda week: [week.challenge.starts_on.isoformat(), week.challenge.id],
    )


@blueprint.route("", methods=["POST"])
@blueprint.arguments(WeekStartSchema)
@blueprint.response(201, ChallengeSchema)
@blueprint.alt_response(409, response="CONFLICT")
def start(data):
    """Start a week today, or schedule it to start on a later day.

    As on the page: the pledge must be given (422), the first day may be neither
    past nor further ahead than `starts_on` says (422), and one week runs or
    waits at a time (409)."""
    person = current_person()
    today = today_for(person)
    challenge = challenges.start(
        get_session(),
        person,
        starts_on=data["starts_on"] or today,
        pledged=data["pledge"],
        today=today,
    )
    return _week(challenge)


@blueprint.route("/<id:challenge_id>")
@blueprint.response(200, ChallengeSchema)
def read_week(challenge_id: int):
    """One of your weeks, with its tally."""
    return _week(challenges.get_own(get_session(), current_person(), challenge_id))


@blueprint.route("/<id:challenge_id>/abandon", methods=["POST"])
@blueprint.response(200, ChallengeSchema)
@blueprint.alt_response(409, response="CONFLICT")
def abandon(challenge_id: int):
    """Set a running or scheduled week aside (a finished or abandoned one: 409).
    Its acts stay logged; a new week may start at once."""
    person = current_person()
    challenge = challenges.abandon(get_session(), person, challenge_id, today_for(person))
    return _week(challenge)


@blueprint.route("/<id:challenge_id>/reflection", methods=["PUT"])
@blueprint.arguments(WeekReflectionSchema)
@blueprint.response(200, ChallengeSchema)
@blueprint.alt_response(409, response="CONFLICT")
def reflect(data, challenge_id: int):
    """Write (or replace, or clear) your reflection on a week: from its last day
    on, or once it was set aside (before: 409)."""
    person = current_person()
    challenge = challenges.reflect(
        get_session(), person, challenge_id, data["reflection"] or "", today_for(person)
    )
    return _week(challenge)
