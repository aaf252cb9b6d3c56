"""The team week's day-by-day chart, with its words in the viewer's language."""

from datetime import date

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from kindness.domain.teams.weeks import WeekSummary
from kindness.render.day_chart import ChartDay, day_chart_svg
from kindness.web.formats import Words, day_format


def week_chart(summary: WeekSummary, today: date | None) -> Markup:
    """The week's days as bars; ``today`` is the team's (``dates.today_for(team)``),
    so every viewer sees the same day as today, whatever their own time zone."""
    names = get_day_names("abbreviated", locale=get_locale())
    days = [
        ChartDay(
            day=day,
            label=f"{names[day.weekday()]} {day.day}",
            acts=summary.acts_per_day.get(day, 0),
            active_members=summary.members_per_day.get(day, 0),
            is_today=day == today,
            is_future=today is not None and day > today,
        )
        for day in summary.days
    ]
    words, full_date = Words(), day_format("full")
    titles = [
        words.gettext(
            "%(day)s: %(acts)s, %(members)s",
            day=full_date(day.day),
            acts=words.ngettext("%(num)d act", "%(num)d acts", day.acts),
            members=words.ngettext(
                "%(num)d member active", "%(num)d members active", day.active_members
            ),
        )
        for day in days
    ]
    return day_chart_svg(
        days,
        title=_("The team's week, day by day"),
        description=_(
            "%(acts)d acts by %(members)d members in the week.",
            acts=summary.acts,
            members=summary.members_who_acted,
        ),
        acts_label=_("Acts"),
        members_label=_("Members active"),
        day_titles=titles,
        id_prefix=f"team-week-{summary.week.id}",
    )
