"""The dashboard: the week at a glance, quick logging, an idea, the year."""

import random
from datetime import timedelta

from flask import render_template, request
from flask_login import current_user

from kindness.domain import acts, challenges, contacts, ideas
from kindness.domain.chains import ripples
from kindness.domain.dates import today_for
from kindness.domain.teams import member_weeks
from kindness.sessions import get_session
from kindness.web.cached_pictures import team_week_strip, week_strip, year_heatmap
from kindness.web.forms.acts import ActForm
from kindness.web.ripple_pictures import ripple

HEATMAP_DAYS = 7 * 53


def _idea():
    """The idea asked for with ?idea=..., avoiding the one shown just before."""
    if "idea" not in request.args:
        return None
    shown = ideas.by_number(request.args.get("after", -1, type=int))
    # Picking a suggestion is not security-relevant.
    idea = ideas.pick_idea(random.Random(), exclude=shown.text_en if shown else None)  # noqa: S311
    return {"number": ideas.number_of(idea), "text": idea.text(str(current_user.locale))}


def render_dashboard():
    db_session = get_session()
    today = today_for(current_user)
    challenge = challenges.current(db_session, current_user, today)
    strip = progress = None
    if challenge is not None:
        progress = challenges.progress(db_session, challenge)
        strip = week_strip(progress, today, "current-week")
    counts = challenges.acts_per_day(
        db_session, current_user, today - timedelta(days=HEATMAP_DAYS), today
    )
    contact_names = contacts.choices(db_session, current_user)
    # The running or next week of each of the person's teams: everyone's week.
    team_weeks = [
        (
            item,
            team_week_strip(item.days, item.own_per_day, item.today, f"team-week-{item.week.id}"),
        )
        for item in member_weeks.on_dashboard(db_session, current_user)
    ]
    quick_form = ActForm(contact_names, formdata=None, next="/")
    return render_template(
        "main/dashboard.html",
        today=today,
        challenge=challenge,
        challenge_status=challenges.status(challenge, today) if challenge else None,
        progress=progress,
        strip=strip,
        team_weeks=team_weeks,
        heatmap=year_heatmap(counts, today),
        totals=challenges.totals(db_session, current_user),
        recent=acts.recent(db_session, current_user),
        quick_form=quick_form,
        contact_names=contact_names,
        idea=_idea(),
        # The acts of the last 90 days that travelled furthest, in one statement.
        ripples=[ripple(t) for t in ripples.furthest(db_session, current_user.id, today)],
    )
