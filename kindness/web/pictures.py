"""The pictures of a page, with their words in the viewer's language: the week
strip and the year's heatmap, drawn by ``kindness.render``.

The words and the date pattern are looked up once per picture (``formats``),
not once per day: the heatmap has 371 day titles."""

from collections.abc import Callable, Mapping
from datetime import date
from functools import cache

from babel.dates import get_day_names, get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from kindness.domain.challenges import Progress
from kindness.render.heatmap import heatmap_svg
from kindness.render.week_strip import StripDay, week_strip_svg
from kindness.web.formats import Words, day_format


def days_summary(days_with_act: int, days: int) -> str:
    # Never "streak lost": progress reads as what was done.
    return _("%(done)d of %(total)d days", done=days_with_act, total=days)


def _acts_texts() -> Callable[[int], str]:
    """The words "3 acts" for one picture: fetched once, each count looked up once."""
    words = Words()
    return cache(lambda count: words.ngettext("%(num)d act", "%(num)d acts", count))


def week_strip(progress: Progress, today: date, id_prefix: str = "week") -> Markup:
    return _strip(
        progress.days,
        progress.acts_per_day,
        today,
        id_prefix,
        _("Your week, day by day"),
        days_summary(progress.days_with_act, len(progress.days)),
    )


def team_week_strip(
    days: list[date], own_per_day: Mapping[date, int], team_today: date, id_prefix: str
) -> Markup:
    """A member's own acts in a team week; past, today and to come are the team's."""
    with_act = sum(1 for day in days if own_per_day.get(day))
    return _strip(
        days,
        own_per_day,
        team_today,
        id_prefix,
        _("Your acts in the team week, day by day"),
        days_summary(with_act, len(days)),
    )


def _strip(
    days: list[date],
    acts_per_day: Mapping[date, int],
    today: date,
    id_prefix: str,
    title: str,
    summary: str,
) -> Markup:
    names = get_day_names("abbreviated", locale=get_locale())
    strip_days = [
        StripDay(
            day=day,
            label=names[day.weekday()],
            acts=acts_per_day.get(day, 0),
            is_today=day == today,
            is_future=day > today,
        )
        for day in days
    ]
    full_date, acts_text = day_format("full"), _acts_texts()
    titles = [f"{full_date(day.day)}: {acts_text(day.acts)}" for day in strip_days]
    return week_strip_svg(
        strip_days, title=title, summary=summary, id_prefix=id_prefix, day_titles=titles
    )


def year_heatmap(counts: Mapping[date, int], today: date) -> Markup:
    locale = get_locale()
    months = get_month_names("abbreviated", locale=locale)
    weekdays = get_day_names("abbreviated", locale=locale)
    active_days = sum(1 for count in counts.values() if count)
    medium_date, acts_text = day_format("medium"), _acts_texts()
    return heatmap_svg(
        counts,
        end=today,
        weeks=52,
        title=_("Your acts over the past year"),
        description=_(
            "%(days)d days with at least one act in the past 52 weeks.", days=active_days
        ),
        month_labels=[months[number] for number in range(1, 13)],
        weekday_labels=[weekdays[number] for number in range(7)],
        legend_less=_("Fewer"),
        legend_more=_("More"),
        cell_title=lambda day, count: f"{medium_date(day)}: {acts_text(count)}",
        id_prefix="year",
    )
