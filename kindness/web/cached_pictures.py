"""The pictures of the pages through the picture cache (``kindness.picture_cache``):
each drawn by its ``*_pictures`` module, keyed by everything it is drawn from.

The data in each key is what the page read for this viewer, already masked, so
every change that shows (a new act, a claim, a visibility, a hidden or deleted
act, a renamed person or contact, a team joined) is a new key; the viewer's
masking class, the day (``today``) and the picture's own arguments complete it.
The language, the time zone and the site's path prefix are added by the cache.
"""

from collections.abc import Mapping
from datetime import date

from flask import g
from markupsafe import Markup

from kindness.domain.chains.growth import Growth
from kindness.domain.chains.view import ChainView
from kindness.domain.challenges import Progress
from kindness.domain.teams.weeks import WeekSummary
from kindness.picture_cache import get_or_make, plain
from kindness.web import chain_pictures, growth_pictures, pictures, team_pictures
from kindness.web.viewer import masking_class


def year_heatmap(counts: Mapping[date, int], today: date) -> Markup:
    return get_or_make(
        "heatmap",
        (masking_class(), today, plain(counts)),
        lambda: pictures.year_heatmap(counts, today),
    )


def week_strip(progress: Progress, today: date, id_prefix: str = "week") -> Markup:
    return get_or_make(
        "week-strip",
        (masking_class(), today, id_prefix, plain(progress)),
        lambda: pictures.week_strip(progress, today, id_prefix),
    )


def team_week_strip(
    days: list[date], own_per_day: Mapping[date, int], team_today: date, id_prefix: str
) -> Markup:
    return get_or_make(
        "team-week-strip",
        (masking_class(), team_today, id_prefix, plain(days), plain(own_per_day)),
        lambda: pictures.team_week_strip(days, own_per_day, team_today, id_prefix),
    )


def _view_parts(view: ChainView) -> object:
    """The view as plain data: its figures row, masked acts, folds and path; made
    once a request for the picture and the outline alike."""
    made = g.setdefault("picture_view_parts", {})
    found = made.get(id(view))
    if found is None or found[0] is not view:
        found = made[id(view)] = (view, plain(view))
    return found[1]


def chain_picture(
    view: ChainView, id_prefix: str = "chain", team_refs: frozenset[str] = frozenset()
) -> Markup:
    return get_or_make(
        "chain",
        (masking_class(), id_prefix, plain(team_refs), _view_parts(view)),
        lambda: chain_pictures.picture(view, id_prefix, team_refs=team_refs),
    )


def chain_outline(view: ChainView) -> Markup:
    """The outline, whose "report" links show to signed-in people (the masking class)."""
    return get_or_make(
        "chain-outline",
        (masking_class(), _view_parts(view)),
        lambda: chain_pictures.outline(view),
    )


def growth_chart(growth: Growth, id_prefix: str = "growth") -> Markup | None:
    if not growth.weeks:
        return None  # no chart to draw, nothing to keep
    return get_or_make(
        "growth-chart",
        (masking_class(), id_prefix, plain(growth)),
        lambda: growth_pictures.chart(growth, id_prefix) or Markup(),
    )


def team_week_chart(summary: WeekSummary, today: date | None, role: str | None) -> Markup:
    """The team's chart: counts only, the same for everyone who may see the page;
    the viewer's role stands as its masking class all the same."""
    return get_or_make(
        "team-chart",
        (role or "visitor", today, plain(summary)),
        lambda: team_pictures.week_chart(summary, today),
    )
