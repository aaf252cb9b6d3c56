"""Teams: create, join by invite link, roles, the shared week, its CSV and chains."""

import csv
import io

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain.dates import coming_monday, local_today, today_for
from kindness.domain.errors import NotFound
from kindness.domain.teams import chains, membership, weeks
from kindness.models import TeamWeek
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web.boundary import flash_errors, form_errors, form_status
from kindness.web.chain_pictures import picture
from kindness.web.converters import parse_id
from kindness.web.forms.teams import TeamForm, WeekForm
from kindness.web.team_pictures import week_chart
from kindness.web.viewer import current_viewer

bp = Blueprint("teams", __name__, url_prefix="/teams")


def _viewer_id() -> int | None:
    return current_user.id if current_user.is_authenticated else None


def _viewer_today():
    """Today for the viewer; for an anonymous visitor, today in UTC."""
    return today_for(current_user) if current_user.is_authenticated else local_today("UTC")


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


def _render_page(db_session, team, role, week: TeamWeek | None, week_form=None):
    today = _viewer_today()
    viewer_id = _viewer_id()
    mates = membership.team_mates(db_session, viewer_id)
    summary = weeks.summarise(db_session, week) if week else None
    # The coming Monday in the team's time zone (today, on a Monday).
    week_form = week_form or WeekForm(formdata=None, starts_on=coming_monday(today_for(team)))
    page = render_template(
        "teams/page.html",
        team=team,
        role=role,
        summary=summary,
        chart=week_chart(summary, today) if summary else None,
        feed=weeks.feed(db_session, week, viewer_id, mates) if week else [],
        weeks=weeks.of_team(db_session, team),
        members=membership.members(db_session, team) if role else [],
        week_form=week_form,
        invite_url=absolute_url_for("teams.join", code=team.invite_code)
        if role in membership.MANAGERS
        else None,
    )
    return page, form_status(week_form)


@bp.get("/<slug>")
def page(slug: str):
    """Show the team's week: tally, chart, feed; members see who is in it."""
    db_session, team, role = _load(slug)
    today = _viewer_today()
    return _render_page(db_session, team, role, weeks.current_week(db_session, team, today))


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
                db_session, team, current_user, form.starts_on.data, today_for(current_user)
            )
            flash(_("The team's week is scheduled."), "success")
            return redirect(url_for(".week", slug=slug, week_id=week.id))
    today = today_for(current_user)
    return _render_page(
        db_session, team, role, weeks.current_week(db_session, team, today), week_form=form
    )


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ gets a quote."""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


@bp.get("/<slug>/weeks/<id:week_id>.csv")
@login_required
def week_csv(slug: str, week_id: int):
    """Download a week as CSV: member, acts per day, total."""
    db_session, team, _role = _load(slug)
    table = weeks.table(db_session, team, current_user, week_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [_("Member"), *(format_date(day, "yyyy-MM-dd") for day in table.days), _("Total")]
    )
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    name = f"{team.slug}-{table.week.starts_on.isoformat()}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/<slug>/chains")
def team_chains(slug: str):
    """The chains with at least one member's act, the team's acts highlighted."""
    db_session, team, role = _load(slug)
    drawn = [
        (
            chain,
            picture(
                chain.view, f"team-chain-{chain.view.stats.root_id}", team_refs=chain.team_refs
            ),
        )
        for chain in chains.team_chains(db_session, team, current_viewer())
    ]
    return render_template("teams/chains.html", team=team, role=role, chains=drawn)


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
    try:
        team = membership.join(get_session(), code, current_user, today_for(current_user))
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
