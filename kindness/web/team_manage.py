"""Running a team, for its owner and admins: the team's settings, and its invite
link as a QR code (an SVG file, and a page to print). Everyone else gets a 404,
as on every manager route."""

from flask import Blueprint, Response, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain.teams import membership
from kindness.models import Team
from kindness.sessions import get_session
from kindness.urls import absolute_url_for
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.teams import TeamSettingsForm
from kindness.web.qr import qr_svg, qr_svg_file

bp = Blueprint("team_manage", __name__, url_prefix="/teams")


def _managed(slug: str) -> Team:
    """The team, if the signed-in person manages it; NotFound otherwise."""
    db_session = get_session()
    team, _role = membership.find(db_session, slug, current_user.id)
    membership.require_manager(db_session, team, current_user)
    return team


def _no_store(response: Response) -> Response:
    """The invite link lets anyone in: for the managers' eyes, kept by no cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _invite_url(team: Team) -> str:
    return absolute_url_for("teams.join", code=team.invite_code)


@bp.get("/<slug>/settings")
@login_required
def settings(slug: str):
    """Show the team's settings."""
    team = _managed(slug)
    form = TeamSettingsForm(
        formdata=None,
        name=team.name,
        description=team.description,
        is_public=team.is_public,
        time_zone=team.time_zone,
    )
    return render_template("teams/settings.html", team=team, form=form)


@bp.post("/<slug>/settings")
@login_required
def save_settings(slug: str):
    """Save the team's name, description, visibility and time zone; the address stays."""
    team = _managed(slug)
    form = TeamSettingsForm()
    if form.validate():
        with form_errors(form):
            membership.update_settings(
                get_session(),
                team,
                current_user,
                name=form.name.data,
                description=form.description.data,
                is_public=form.is_public.data,
                time_zone=form.time_zone.data,
            )
            flash(_("The team's settings are saved."), "success")
            return redirect(url_for("teams.page", slug=team.slug))
    return render_template("teams/settings.html", team=team, form=form), form_status(form)


@bp.get("/<slug>/invite.svg")
@login_required
def invite_svg(slug: str):
    """The invite link as a QR code, an SVG file to download or put on a slide."""
    team = _managed(slug)
    svg = qr_svg_file(_invite_url(team), _("Join %(team)s", team=team.name))
    response = make_response(svg)
    response.mimetype = "image/svg+xml"
    response.headers["Content-Disposition"] = f'inline; filename="{team.slug}-invite.svg"'
    return _no_store(response)


@bp.get("/<slug>/invite/print")
@login_required
def invite_print(slug: str):
    """A page to print or show on a board: the team's name, a big QR code, the link."""
    team = _managed(slug)
    url = _invite_url(team)
    page = render_template("teams/invite_print.html", team=team, url=url, qr=qr_svg(url))
    return _no_store(make_response(page))
