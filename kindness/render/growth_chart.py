"""The growth chart: a chain's acts per week, one bar per week from its first to its last.

The caller passes weeks (never days: a private act shows no more than its week)
and localizes every string; this module only draws and escapes. The picture has
a fixed viewBox and scales to its container, so a chain of three years draws
thin bars rather than a wide picture.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import grid_step, svg_root

BAR = palette.ACCENT
MUTED = palette.SLATE
GRID = palette.GRID
BASELINE = palette.LINE_COOL

WIDTH = 600
PAD = 8
TICK_SIZE = 10
FONT_SIZE = 11
CHAR_WIDTH = 0.6  # em; text width is unknown on the server, so it is estimated
PLOT_TOP = PAD + 4
PLOT_HEIGHT = 96
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
LABEL_Y = PLOT_BOTTOM + 16
HEIGHT = LABEL_Y + PAD
MAX_GRID_STEPS = 3
MAX_BAR = 24  # a chain of a few weeks keeps slim bars
MIN_BAR = 1.0  # a week with one act among hundreds still shows a sliver


@dataclass(frozen=True)
class ChartWeek:
    week: date  # the Monday starting the week
    acts: int
    title: str  # the bar's tooltip, localized by the caller, e.g. "Week of 2 Mar: 3 acts"


def growth_chart_svg(
    weeks: Sequence[ChartWeek],
    *,
    title: str,
    description: str,
    first_label: str,
    last_label: str,
    id_prefix: str = "growth",
) -> Markup:
    """Draw one bar per week (at least one week, consecutive, oldest first).

    ``first_label`` and ``last_label`` stand under the first and the last bar.
    Raises ``ValueError`` on no weeks, a negative count or weeks out of order.
    """
    if not weeks:
        raise ValueError("a growth chart needs at least one week")
    if any(week.acts < 0 for week in weeks):
        raise ValueError("acts cannot be negative")
    if any((later.week - earlier.week).days != 7 for earlier, later in pairwise(weeks)):
        raise ValueError("weeks must be consecutive, oldest first")

    peak = max(1, *(week.acts for week in weeks))
    step = grid_step(peak, MAX_GRID_STEPS)
    top = math.ceil(peak / step) * step
    plot_left = math.ceil(PAD + len(str(top)) * TICK_SIZE * CHAR_WIDTH + 6)
    plot_right = WIDTH - PAD
    slot = (plot_right - plot_left) / len(weeks)
    bar = min(MAX_BAR, slot * 0.8 if slot >= 4 else slot)

    parts = [_grid(top, step, left=plot_left, right=plot_right), '<g class="growth-bars">']
    bar_width = _plain(bar)
    for number, week in enumerate(weeks):
        x = plot_left + number * slot + (slot - bar) / 2
        height = PLOT_HEIGHT * week.acts / top
        if week.acts:
            height = max(height, MIN_BAR)
        parts.append(
            f'<rect class="growth-bar" x="{_plain(x)}" y="{_plain(PLOT_BOTTOM - height)}"'
            f' width="{bar_width}" height="{_plain(height)}" fill="{BAR}"'
            f' data-week="{week.week.isoformat()}" data-acts="{week.acts}">'
            f"<title>{escape(week.title)}</title></rect>"
        )
    parts.append("</g>")
    parts.append(_label(first_label, x=plot_left, anchor="start"))
    if len(weeks) > 1:
        parts.append(_label(last_label, x=plot_right, anchor="end"))
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (caller text escaped, the rest is ours)
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=WIDTH,
        height=HEIGHT,
        class_="growth-chart",
    )


def _label(text: str, *, x: float, anchor: str) -> str:
    return (
        f'<text class="chart-label" x="{_plain(x)}" y="{LABEL_Y}" text-anchor="{anchor}"'
        f' font-size="{FONT_SIZE}" fill="{MUTED}">{escape(text)}</text>'
    )


def _grid(top: int, step: int, *, left: int, right: int) -> str:
    lines = ['<g class="chart-grid">']
    for value in range(0, top + 1, step):
        y = _plain(PLOT_BOTTOM - PLOT_HEIGHT * value / top)
        css, stroke = ("chart-baseline", BASELINE) if value == 0 else ("chart-grid-line", GRID)
        lines.append(
            f'<line class="{css}" x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{stroke}"'
            ' stroke-width="1"/>'
        )
        lines.append(
            f'<text class="chart-tick" x="{left - 6}"'
            f' y="{_plain(PLOT_BOTTOM - PLOT_HEIGHT * value / top + TICK_SIZE * 0.35)}"'
            f' text-anchor="end" font-size="{TICK_SIZE}" fill="{MUTED}">{value}</text>'
        )
    lines.append("</g>")
    return "".join(lines)


def _plain(value: float) -> str:
    """A coordinate with at most two decimals, never in scientific notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
