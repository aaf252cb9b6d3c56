"""Teams: create, join by invite link, roles, the shared week, its CSV and chains."""

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain.dates import today_for
from kindness.domain.errors import NotFound
from kindness.domain.teams import chains, membership, participation, weeks
from kindness.models import TeamWeek
from kindness.schemas.archive import csv_cell
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web.boundary import flash_errors, form_errors, form_status
from kindness.web.cached_pictures import chain_picture, team_week_chart
from kindness.web.converters import parse_id
from kindness.web.forms.teams import MoveWeekForm, TeamForm, WeekForm
from kindness.web.viewer import current_viewer

bp = Blueprint("teams", __name__, url_prefix="/teams")


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _load(slug: str):
    db_session = get_session()
    team, role = membership.find(db_session, slug, _viewer_id())
    return db_session, team, role


@bp.get("")
@login_required
def index():
    """List my teams and offer to create one."""
    mine = membership.my_teams(get_session(), current_user)
    return render_template("teams/index.html", teams=mine, form=TeamForm(formdata=None))


@bp.post("")
@login_required
def create():
    """Create a team; its creator is its owner."""
    form = TeamForm()
    db_session = get_session()
    if form.validate():
        with form_errors(form):
            team = membership.create(
                db_session,
                current_user,
                name=form.name.data,
                description=form.description.data,
                is_public=form.is_public.data,
            )
            flash(_("Your team is ready. Invite the others with the link below."), "success")
            return redirect(url_for(".page", slug=team.slug))
    mine = membership.my_teams(db_session, current_user)
    return render_template("teams/index.html", teams=mine, form=form), form_status(form)


def _render_page(db_session, team, role, week: TeamWeek | None, week_form=None, move_form=None):
    # Which of the week's days is today, past or to come is the team's, whoever looks.
    today = today_for(team)
    viewer_id = _viewer_id()
    mates = membership.team_mates(db_session, viewer_id)
    summary = weeks.summarise(db_session, week) if week else None
    team_weeks = weeks.of_team(db_session, team)
    # The coming free Monday in the team's time zone (today, on a Monday).
    week_form = week_form or WeekForm(
        formdata=None, starts_on=weeks.suggested_start(team_weeks, today)
    )
    move_form = move_form or MoveWeekForm(formdata=None, prefix="move")
    page = render_template(
        "teams/page.html",
        team=team,
        role=role,
        summary=summary,
        chart=team_week_chart(summary, today, role) if summary else None,
        feed=weeks.feed(db_session, week, viewer_id, mates) if week else [],
        weeks=team_weeks,
        members=membership.members(db_session, team) if role else [],
        in_participation=participation.is_shown(db_session, team, viewer_id) if role else None,
        min_shown=weeks.MIN_SHOWN,
        week_form=week_form,
        move_form=move_form,
        team_today=today,
        invite_url=absolute_url_for("teams.join", code=team.invite_code)
        if role in membership.MANAGERS
        else None,
    )
    return page, max(form_status(week_form), form_status(move_form))


@bp.get("/<slug>")
def page(slug: str):
    """Show the team's week: tally, chart, feed; members see who is in it."""
    db_session, team, role = _load(slug)
    return _render_page(
        db_session, team, role, weeks.current_week(db_session, team, today_for(team))
    )


@bp.get("/<slug>/weeks/<id:week_id>")
def week(slug: str, week_id: int):
    """Show one of the team's weeks."""
    db_session, team, role = _load(slug)
    return _render_page(db_session, team, role, weeks.get_week(db_session, team, week_id))


@bp.post("/<slug>/weeks")
@login_required
def schedule(slug: str):
    """Schedule a week for the whole team."""
    db_session, team, role = _load(slug)
    # Asked before the form: a refused date tells nothing to people who may not schedule.
    membership.require_manager(db_session, team, current_user)
    form = WeekForm()
    if form.validate():
        with form_errors(form):
            week = weeks.schedule_week(
                db_session, team, current_user, form.starts_on.data, today_for(team)
            )
            flash(_("The team's week is scheduled."), "success")
            return redirect(url_for(".week", slug=slug, week_id=week.id))
    return _render_page(
        db_session,
        team,
        role,
        weeks.current_week(db_session, team, today_for(team)),
        week_form=form,
    )


@bp.post("/<slug>/weeks/<id:week_id>/move")
@login_required
def move_week(slug: str, week_id: int):
    """Move a week that has not begun to a new first day; its members are told."""
    db_session, team, role = _load(slug)
    membership.require_manager(db_session, team, current_user)
    week = weeks.get_week(db_session, team, week_id)
    form = MoveWeekForm(prefix="move")
    if form.validate():
        with form_errors(form):
            weeks.move_week(
                db_session, team, current_user, week_id, form.starts_on.data, today_for(team)
            )
            flash(_("The team's week is moved. Its members are told."), "success")
            return redirect(url_for(".week", slug=slug, week_id=week_id))
    return _render_page(db_session, team, role, week, move_form=form)


@bp.get("/<slug>/weeks/<id:week_id>/cancel")
@login_required
def confirm_cancel_week(slug: str, week_id: int):
    """Ask before cancelling a week."""
    db_session, team, _role = _load(slug)
    membership.require_manager(db_session, team, current_user)
    week = weeks.get_week(db_session, team, week_id)
    dates = _("%(first)s to %(last)s", first=format_date(week.starts_on, "medium"),
              last=format_date(week.ends_on, "medium"))  # fmt: skip
    back = url_for(".week", slug=team.slug, week_id=week.id)
    return render_template(
        "confirm.html",
        title=_("Cancel the team's week?"),
        heading=_("Cancel the week %(dates)s?", dates=dates),
        text=_(
            "Every member is told that it does not take place. Their acts stay theirs, "
            "and the team may schedule another week."
        ),
        action=url_for(".cancel_week", slug=team.slug, week_id=week.id),
        button=_("Cancel the week"),
        back=back,
        back_label=_("Keep it"),
    )


@bp.post("/<slug>/weeks/<id:week_id>/cancel")
@login_required
def cancel_week(slug: str, week_id: int):
    """Cancel a week that has not ended; its members are told."""
    db_session, team, _role = _load(slug)
    with flash_errors():
        weeks.cancel_week(db_session, team, current_user, week_id, today_for(team))
        flash(_("The team's week is cancelled. Its members are told."), "info")
    return redirect(url_for(".week", slug=slug, week_id=week_id))


@bp.get("/<slug>/weeks/<id:week_id>.csv")
@login_required
def week_csv(slug: str, week_id: int):
    """Download a week as CSV: each day's acts, members who took part and people
    helped, then the whole week's; no row per person (``weeks.WeekTable``)."""
    db_session, team, _role = _load(slug)
    table = weeks.table(db_session, team, current_user, week_id)
    out = io.StringIO()
    writer = csv.writer(out)
    rows = [
        [_("Day"), _("Acts"), _("Members who took part"), _("People helped")],
        *([day.day.isoformat(), day.acts, day.members, day.people_helped] for day in table.days),
        [_("Whole week"), table.acts, table.members, table.people_helped],
    ]
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    name = f"{team.slug}-{table.week.starts_on.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.post("/<slug>/participation")
@login_required
def choose_participation(slug: str):
    """Show me in the team's participation view, or leave me out (members only)."""
    db_session, team, role = _load(slug)
    if role is None:
        raise NotFound()
    shown = {"1": True, "0": False}.get(request.form.get("shown", ""))
    if shown is None:
        abort(400)
    participation.choose(db_session, team, current_user, shown)
    if shown:
        flash(_("You are shown in the team's participation view again."), "success")
    else:
        flash(
            _("You are left out of the team's participation view. Your acts still count "
              "in the team's tally."),
            "info",
        )  # fmt: skip
    return redirect(url_for(".page", slug=slug) + "#participation")


def _page_number() -> int:
    """The page asked for: a positive whole number, 1 when none is given; anything
    else is a page that does not exist."""
    value = request.args.get("page", "1")
    if not value.isascii() or not value.isdigit() or len(value) > 6 or int(value) < 1:
        abort(404)
    return int(value)


@bp.get("/<slug>/chains")
def team_chains(slug: str):
    """The chains with at least one member's act, the team's acts highlighted."""
    db_session, team, role = _load(slug)
    number = _page_number()
    found = chains.team_chains(db_session, team, current_viewer(), page=number)
    if found.number != number:
        return redirect(url_for(".team_chains", slug=slug, page=found.number))
    drawn = [
        (
            chain,
            chain_picture(
                chain.view, f"team-chain-{chain.view.stats.root_id}", team_refs=chain.team_refs
            ),
        )
        for chain in found.chains
    ]
    return render_template("teams/chains.html", team=team, role=role, chains=drawn, listing=found)


@bp.post("/<slug>/invite")
@login_required
def rotate(slug: str):
    """Make a new invite link; the old one stops working."""
    db_session, team, _role = _load(slug)
    membership.rotate_invite(db_session, team, current_user)
    flash(_("A new invite link is ready; the old one no longer works."), "info")
    return redirect(url_for(".page", slug=slug))


@bp.get("/join/<code>")
def join(code: str):
    """Show the invitation to a team."""
    try:
        team = membership.find_by_invite(get_session(), code)
    except NotFound:
        return render_template("teams/invalid_invite.html"), 404
    role = membership.role_of(get_session(), team, _viewer_id())
    return render_template("teams/join.html", team=team, code=code, role=role)


@bp.post("/join/<code>")
def join_post(code: str):
    """Join the team of an invite link."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=url_for(".join", code=code)))
    db_session = get_session()
    try:
        invited = membership.find_by_invite(db_session, code)
        # The weeks still running are the team's: its today decides, not the joiner's.
        team = membership.join(db_session, code, current_user, today_for(invited))
    except NotFound:
        return render_template("teams/invalid_invite.html"), 404
    flash(_("Welcome to %(team)s!", team=team.name), "success")
    return redirect(url_for(".page", slug=team.slug))


def _member_action(slug: str, action):
    db_session, team, _role = _load(slug)
    user_id = parse_id(request.form.get("user_id", ""))
    if user_id is None:
        raise NotFound()
    with flash_errors():
        action(db_session, team, user_id)
        flash(_("Done."), "success")
    return redirect(url_for(".page", slug=slug) + "#members")


@bp.post("/<slug>/members/role")
@login_required
def set_role(slug: str):
    """Promote a member to admin, or demote an admin."""
    role = request.form.get("role", "")
    return _member_action(
        slug, lambda s, team, uid: membership.set_role(s, team, current_user, uid, role)
    )


@bp.post("/<slug>/members/remove")
@login_required
def remove(slug: str):
    """Remove a member from the team."""
    return _member_action(
        slug, lambda s, team, uid: membership.remove_member(s, team, current_user, uid)
    )


@bp.post("/<slug>/transfer")
@login_required
def transfer(slug: str):
    """Hand ownership over to another member (owner only)."""
    return _member_action(
        slug, lambda s, team, uid: membership.transfer_ownership(s, team, current_user, uid)
    )


@bp.post("/<slug>/leave")
@login_required
def leave(slug: str):
    """Leave the team."""
    db_session, team, _role = _load(slug)
    with flash_errors():
        membership.leave(db_session, team, current_user)
        flash(_("You left %(team)s.", team=team.name), "info")
        return redirect(url_for(".index"))
    return redirect(url_for(".page", slug=slug))


@bp.get("/<slug>/delete")
@login_required
def confirm_delete(slug: str):
    """Ask before deleting the team."""
    db_session, team, _role = _load(slug)
    membership.require_owner(db_session, team, current_user)
    return render_template(
        "confirm.html",
        title=_("Delete the team?"),
        heading=_("Delete %(team)s?", team=team.name),
        text=_("The team, its weeks and its invite link go. Every member's acts stay theirs."),
        action=url_for(".delete", slug=team.slug),
        button=_("Delete the team"),
        back=url_for(".page", slug=team.slug),
        back_label=_("Keep it"),
    )


@bp.post("/<slug>/delete")
@login_required
def delete(slug: str):
    """Delete the team; members' acts stay theirs."""
    db_session, team, _role = _load(slug)
    membership.delete_team(db_session, team, current_user)
    flash(_("The team is deleted. Everyone's acts stay theirs."), "info")
    return redirect(url_for(".index"))
