"""How a chain grew, in the viewer's language: its figures, the chart of acts per
week (drawn by ``kindness.render.growth_chart``) and the data of the replay.

Only weeks reach this module (``domain.chains.growth``), so nothing here can
show the day of a private act.
"""

from collections.abc import Callable
from datetime import date

from flask_babel import format_percent, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from kindness.domain.chains.growth import Growth
from kindness.domain.chains.view import ChainView
from kindness.render.growth_chart import ChartWeek, growth_chart_svg
from kindness.web.formats import Words, day_format


def week_labels(words: Words | None = None) -> Callable[[date], str]:
    """ "Week of 2 Mar 2026" as a function of the week, its words looked up once."""
    pattern, medium_date = (words or Words()).gettext("Week of %(day)s"), day_format("medium")
    return lambda week: pattern % {"day": medium_date(week)}


def week_label(week: date) -> str:
    return week_labels()(week)


def figures(growth: Growth) -> list[tuple[str, str]]:
    """(the number, the words after it) of every figure, in reading order."""
    return [
        (str(growth.acts), ngettext("act", "acts", growth.acts)),
        (str(growth.reach), ngettext("person reached", "people reached", growth.reach)),
        (str(growth.generations), ngettext("generation", "generations", growth.generations)),
        (
            str(growth.widest_generation),
            ngettext(
                "act in the widest generation",
                "acts in the widest generation",
                growth.widest_generation,
            ),
        ),
        (
            str(growth.branches),
            ngettext(
                "act passed on more than once",
                "acts passed on more than once",
                growth.branches,
            ),
        ),
        (str(growth.span_weeks), ngettext("week", "weeks", growth.span_weeks)),
        (format_percent(growth.passed_on_share), _("of the acts were passed on")),
    ]


def chart(growth: Growth, id_prefix: str = "growth") -> Markup | None:
    """The chart of acts per week, or None for a chain without acts."""
    if not growth.weeks:
        return None
    words = Words()
    label_of = week_labels(words)
    weeks = [
        ChartWeek(
            week=week,
            acts=acts,
            title=words.ngettext(
                "%(week)s: %(num)d act", "%(week)s: %(num)d acts", acts, week=label_of(week)
            ),
        )
        for week, acts in growth.weeks
    ]
    return growth_chart_svg(
        weeks,
        title=_("Acts per week"),
        description=ngettext(
            "%(num)d act over %(weeks)d weeks, at most %(peak)d in one week.",
            "%(num)d acts over %(weeks)d weeks, at most %(peak)d in one week.",
            growth.acts,
            weeks=growth.span_weeks,
            peak=max(acts for _week, acts in growth.weeks),
        ),
        first_label=label_of(growth.weeks[0][0]),
        last_label=label_of(growth.weeks[-1][0]),
        id_prefix=id_prefix,
    )


def replay(growth: Growth, view: ChainView, week_indexes: dict[int, int]) -> dict:
    """The data of the replay: the label of every week, and the week number of
    each drawn act by its public reference (the ``data-key`` of its box)."""
    label_of = week_labels()
    return {
        "weeks": [label_of(week) for week, _acts in growth.weeks],
        "nodes": {
            node.ref: week_indexes[node.id] for node in view.nodes if node.id in week_indexes
        },
    }
