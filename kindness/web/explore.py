"""Explore the public chains, the public teams, public profiles, and reporting an act.

The three listings read through ``get_read_session()``: the read replica when
one is configured (public reads that may lag); a report is written on the primary.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import explore, moderation, profiles, search
from kindness.domain.teams import directory
from kindness.extensions import limiter
from kindness.render.chain_thumb import chain_thumb_svg
from kindness.sessions import get_read_session, get_session
from kindness.web.boundary import form_errors, form_status
from kindness.web.forms.explore import ExploreForm, ReportForm, TeamDirectoryForm
from kindness.web.highlight import highlighted

bp = Blueprint("explore", __name__)


def _report_limit() -> str:
    return current_app.config["REPORT_LIMIT"]


@bp.get("/explore")
def index():
    """List the chains with at least one public act."""
    form = ExploreForm(formdata=request.args)
    if request.args and not form.validate():
        return render_template("explore/index.html", form=form, listing=None, thumbs={}), 400
    listing = explore.listing(
        get_read_session(),
        order=form.sort.data or "reach",
        page=form.page.data or 1,
        category=form.category.data or None,
        query=(form.q.data or "").strip() or None,
    )
    thumbs = {}
    thumb_title = _("The chain in small")
    thumb_description = _("Dots are acts; filled dots are public.")
    for root_id, rows in listing.thumbs.items():
        position = {row.id: number for number, row in enumerate(rows)}
        thumbs[root_id] = chain_thumb_svg(
            [position.get(row.parent_id) for row in rows],
            [bool(row.public) for row in rows],
            title=thumb_title,
            description=thumb_description,
            id_prefix=f"thumb-{root_id}",
        )
    # Under a search, each chain's text (public: the act that matched) with the words marked.
    found = {
        root_id: highlighted(search.excerpt(text, listing.search))
        for root_id, text in listing.texts.items()
        if text and listing.search
    }
    query = {key: request.args[key] for key in ("sort", "category", "q") if request.args.get(key)}
    return render_template(
        "explore/index.html", form=form, listing=listing, thumbs=thumbs, query=query, found=found
    )


@bp.get("/explore/teams")
def teams():
    """List the public teams, by name or newest; joining is by invite only."""
    form = TeamDirectoryForm(formdata=request.args)
    if request.args and not form.validate():
        return render_template("explore/teams.html", form=form, listing=None, query={}), 400
    listing = directory.listing(
        get_read_session(),
        order=form.sort.data or "name",
        page=form.page.data or 1,
        query=(form.q.data or "").strip() or None,
    )
    query = {key: request.args[key] for key in ("sort", "q") if request.args.get(key)}
    return render_template("explore/teams.html", form=form, listing=listing, query=query)


@bp.get("/u/<name>")
def profile(name: str):
    """A person's public profile, if they chose to have one."""
    db_session = get_read_session()
    user = profiles.find_public(db_session, name)
    return render_template(
        "explore/profile.html",
        person=user,
        acts=profiles.public_acts(db_session, user),
        chains=profiles.started_chains(db_session, user),
    )


@bp.get("/chains/<ref>/report")
@login_required
def report(ref: str):
    """Ask why an act should be looked at."""
    return render_template("explore/report.html", form=ReportForm(formdata=None), ref=ref)


@bp.post("/chains/<ref>/report")
@login_required
@limiter.limit(_report_limit)
def report_post(ref: str):
    """Send a report to the moderators."""
    form = ReportForm()
    if form.validate():
        with form_errors(form):
            moderation.report(get_session(), current_user, ref, form.reason.data, form.text.data)
            flash(_("Thank you. The moderators will look at it."), "success")
            return redirect(url_for("chains.page", ref=ref))
    return render_template("explore/report.html", form=form, ref=ref), form_status(form)
