"""``/api/v1/teams``: your teams with your role, a team by its slug, joining by
invite code, a team's weeks and a week's collective tally.

Who may read a team is the team page's rule (``membership.find``): its members,
and anyone when the team is public; a private team is 404 to everyone else,
exactly like a team that does not exist."""

from datetime import date

from flask_babel import gettext as _
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from kindness.api import pagination
from kindness.api.auth import current_person
from kindness.api.strict import Blueprint
from kindness.domain.dates import today_for
from kindness.domain.teams import membership, weeks
from kindness.schemas.team_weeks import ListedWeek, TeamTallySchema, WeekSchema, tally_of
from kindness.schemas.teams import MyTeam, TeamReadSchema, TeamSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_teams",
    __name__,
    url_prefix="/teams",
    description="Your teams, joining one by invite code, and a team's weeks and tally.",
)


class JoinArgs(Schema):
    code = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=membership.INVITE_CODE_MAX),
            validate.Regexp(membership.INVITE_CODE_PATTERN),
        ],
        metadata={"description": "The invite code: the last part of the team's invite link."},
    )


@blueprint.route("")
@blueprint.arguments(pagination.PageArgs, location="query")
@blueprint.response(200, pagination.page_of(TeamSchema, "TeamPage"))
def list_my_teams(args):
    """Your teams with your role in each, by name."""
    after = pagination.decode(args["cursor"], (str, str))
    rows = membership.my_teams(
        get_session(),
        current_person(),
        after=None if after is None else (after[0], after[1]),
        limit=args["limit"] + 1,
    )
    return pagination.page(
        [MyTeam(*row) for row in rows],
        args["limit"],
        lambda mine: [mine.team.name_key, mine.team.slug],
    )


def _load(slug: str):
    session = get_session()
    team, role = membership.find(session, slug, current_person().id)
    return session, team, role


@blueprint.route("/<slug>")
@blueprint.response(200, TeamReadSchema)
def read_team(slug: str):
    """A team by its slug: yours, or a public one."""
    session, team, role = _load(slug)
    return MyTeam(team, role, membership.member_count(session, team))


@blueprint.route("/join", methods=["POST"])
@blueprint.arguments(JoinArgs)
@blueprint.response(200, TeamReadSchema)
@blueprint.alt_response(404, response="NOT_FOUND")
def join_team(args):
    """Join the team of an invite code, as its invite link does; a member already stays one.

    You take part in its running and coming weeks at once. A code that is not
    (or no longer) a team's answers 404."""
    session = get_session()
    person = current_person()
    invited = membership.find_by_invite(session, args["code"])
    # The weeks still running are the team's: its today decides, not the joiner's.
    team = membership.join(session, args["code"], person, today_for(invited))
    return MyTeam(
        team, membership.role_of(session, team, person.id), membership.member_count(session, team)
    )


def _week_key(key: list | None) -> tuple[date, int] | None:
    if key is not None:
        try:
            return date.fromisoformat(key[0]), key[1]
        except ValueError:
            abort(422, messages={"query": {"cursor": [_("This cursor is not one we gave.")]}})
    return None


@blueprint.route("/<slug>/weeks")
@blueprint.arguments(pagination.PageArgs, location="query")
@blueprint.response(200, pagination.page_of(WeekSchema, "TeamWeekPage"))
def list_team_weeks(args, slug: str):
    """The team's weeks, the latest first, with where each stands today (the team's today)."""
    before = _week_key(pagination.decode(args["cursor"], (str, int)))
    session, team, _role = _load(slug)
    today = today_for(team)
    found = weeks.of_team(session, team, before=before, limit=args["limit"] + 1)
    return pagination.page(
        [ListedWeek(week, weeks.week_status(week, today)) for week in found],
        args["limit"],
        lambda listed: [listed.week.starts_on.isoformat(), listed.week.id],
    )


@blueprint.route("/<slug>/weeks/<id:week_id>/tally")
@blueprint.response(200, TeamTallySchema)
def read_tally(slug: str, week_id: int):
    """The collective tally of one of the team's weeks, as its week page counts it:
    figures for the team and for each day, never a ranking."""
    session, team, _role = _load(slug)
    week = weeks.get_week(session, team, week_id)
    return tally_of(weeks.summarise(session, week), weeks.week_status(week, today_for(team)))
