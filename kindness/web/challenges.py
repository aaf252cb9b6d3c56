"""Personal weeks: start, see, abandon, reflect, and the list of past weeks."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kindness.domain import challenges
from kindness.domain.dates import latest_week_start, today_for
from kindness.domain.teams import member_weeks
from kindness.sessions import get_session
from kindness.web.boundary import flash_errors, form_errors, form_status
from kindness.web.forms.challenges import ReflectionForm, StartForm
from kindness.web.pictures import week_strip

bp = Blueprint("challenges", __name__, url_prefix="/challenges")


def _render_start(form: StartForm):
    today = today_for(current_user)
    latest = latest_week_start(today, challenges.SCHEDULE_AHEAD_DAYS)
    page = render_template(
        "challenges/new.html", form=form, today=today.isoformat(), latest=latest.isoformat()
    )
    return page, form_status(form)


@bp.get("")
@login_required
def index():
    """List the user's weeks with their tallies, and the weeks of their teams."""
    db_session = get_session()
    today = today_for(current_user)
    rows = challenges.history_with_tallies(db_session, current_user)
    grown = challenges.forwards_grown(
        db_session, current_user.id, [(c.starts_on, c.ends_on) for c, _tally in rows]
    )
    weeks = [
        (challenge, challenges.status(challenge, today), tally, forwards)
        for (challenge, tally), forwards in zip(rows, grown, strict=True)
    ]
    team_weeks = member_weeks.listed(db_session, current_user)
    return render_template("challenges/index.html", weeks=weeks, team_weeks=team_weeks)


@bp.get("/new")
@login_required
def new():
    """Show the pledge and the start-day form."""
    return _render_start(StartForm(formdata=None, starts_on=today_for(current_user)))


@bp.post("/new")
@login_required
def create():
    """Start or schedule a week."""
    form = StartForm()
    if form.validate():
        today = today_for(current_user)
        with form_errors(form):
            challenge = challenges.start(
                get_session(),
                current_user,
                starts_on=form.starts_on.data or today,
                pledged=form.pledge.data,
                today=today,
            )
            if challenge.starts_on == today:
                flash(_("Your week has begun. Have a kind week!"), "success")
            else:
                flash(_("Your week is scheduled."), "success")
            return redirect(url_for("main.index"))
    return _render_start(form)


def _render_detail(challenge, reflection_form: ReflectionForm):
    db_session = get_session()
    today = today_for(current_user)
    progress = challenges.progress(db_session, challenge)
    page = render_template(
        "challenges/detail.html",
        challenge=challenge,
        status=challenges.status(challenge, today),
        may_reflect=challenges.may_reflect(challenge, today),
        progress=progress,
        forwards=challenges.forwards_grown(
            db_session, challenge.user_id, [(challenge.starts_on, challenge.ends_on)]
        )[0],
        strip=week_strip(progress, today, "week-" + str(challenge.id)),
        form=reflection_form,
    )
    return page, form_status(reflection_form)


@bp.get("/<id:challenge_id>")
@login_required
def detail(challenge_id: int):
    """Show a week: its progress, or its summary once it is over."""
    challenge = challenges.get_own(get_session(), current_user, challenge_id)
    form = ReflectionForm(formdata=None, reflection=challenge.reflection)
    return _render_detail(challenge, form)


@bp.post("/<id:challenge_id>/reflection")
@login_required
def reflect(challenge_id: int):
    """Save the reflection on a finished week."""
    db_session = get_session()
    challenge = challenges.get_own(db_session, current_user, challenge_id)
    form = ReflectionForm()
    if form.validate():
        with form_errors(form):
            today = today_for(current_user)
            challenges.reflect(db_session, current_user, challenge_id, form.reflection.data, today)
            flash(_("Your reflection is saved."), "success")
            return redirect(url_for(".detail", challenge_id=challenge_id))
    return _render_detail(challenge, form)


@bp.get("/<id:challenge_id>/abandon")
@login_required
def confirm_abandon(challenge_id: int):
    """Ask before abandoning a week."""
    challenge = challenges.get_own(get_session(), current_user, challenge_id)
    return render_template(
        "confirm.html",
        title=_("Set the week aside?"),
        text=_("Your acts stay logged. You can start a new week whenever you like."),
        action=url_for(".abandon", challenge_id=challenge.id),
        button=_("Set it aside"),
        back=url_for(".detail", challenge_id=challenge.id),
        back_label=_("Keep going"),
    )


@bp.post("/<id:challenge_id>/abandon")
@login_required
def abandon(challenge_id: int):
    """Abandon a running or scheduled week."""
    with flash_errors():
        challenges.abandon(get_session(), current_user, challenge_id, today_for(current_user))
        flash(_("The week is set aside. You can start a new one whenever you like."), "info")
        return redirect(url_for("main.index"))
    return redirect(url_for(".detail", challenge_id=challenge_id))
