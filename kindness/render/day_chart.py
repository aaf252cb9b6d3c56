"""The day chart: a team's days side by side, acts and active members as grouped bars."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import grid_step, svg_root

ACCENT = palette.ACCENT
SOFT = palette.ACCENT_SOFT
WARM = palette.WARM
MUTED = palette.SLATE
GRID = palette.GRID
BASELINE = palette.LINE_COOL
FUTURE_EDGE = palette.LINE

MAX_DAYS = 14
PAD = 8
FONT_SIZE = 11
TICK_SIZE = 10
CHAR_WIDTH = 0.6  # em; text width is unknown on the server, so it is estimated
SWATCH = 10
LEGEND_GAP = 18  # between the first label and the second swatch
PLOT_TOP = 40
PLOT_HEIGHT = 140
PLOT_BOTTOM = PLOT_TOP + PLOT_HEIGHT
LABEL_Y = PLOT_BOTTOM + 18
HEIGHT = LABEL_Y + PAD
ACTS_WIDTH = 18
MEMBERS_WIDTH = 10
BAR_GAP = 3
PAIR_WIDTH = ACTS_WIDTH + BAR_GAP + MEMBERS_WIDTH
MIN_SLOT = 46
MAX_GRID_STEPS = 4
MIN_BAR = 1.0  # a day with one act among hundreds still shows a sliver

# Attribute runs shared by every day, built once.
_FUTURE = (
    f' y="{PLOT_TOP + PLOT_HEIGHT // 2}" width="{PAIR_WIDTH + 4}" height="{PLOT_HEIGHT // 2}"'
    f' rx="3" fill="none" stroke="{FUTURE_EDGE}" stroke-width="1.5" stroke-dasharray="4 3"'
)
_LABEL = f' y="{LABEL_Y}" text-anchor="middle" font-size="{FONT_SIZE}"'
_LABEL_TODAY = f'{_LABEL} fill="{WARM}" font-weight="bold"'
_LABEL_OTHER = f'{_LABEL} fill="{MUTED}"'


@dataclass(frozen=True)
class ChartDay:
    day: date
    label: str  # e.g. "Mon 3", localized by the caller
    acts: int  # acts that day
    active_members: int  # members who acted that day
    is_today: bool = False
    is_future: bool = False


def day_chart_svg(
    days: Sequence[ChartDay],
    *,
    title: str,
    description: str,
    acts_label: str,
    members_label: str,
    day_titles: Sequence[str] | None = None,
    id_prefix: str = "days",
) -> Markup:
    """Draw 1 to 14 days: a wide acts bar and a thin active-members bar for each.

    The scale runs from 0 to a round number at or above the larger of both
    series. ``day_titles``, one localized string per day, become each day's
    tooltip; without them the day label is used. Future days with nothing in them
    are dashed outlines; a day still to come where the caller stands can already
    have acts somewhere further east, and those are drawn like any other.
    """
    if not 1 <= len(days) <= MAX_DAYS:
        raise ValueError(f"a day chart shows 1 to {MAX_DAYS} days, not {len(days)}")
    if day_titles is not None and len(day_titles) != len(days):
        raise ValueError("day_titles needs exactly one title per day")
    if any(d.acts < 0 or d.active_members < 0 for d in days):
        raise ValueError("acts and active_members cannot be negative")

    peak = max(1, *(max(d.acts, d.active_members) for d in days))
    step = grid_step(peak, MAX_GRID_STEPS)
    top = math.ceil(peak / step) * step

    tick_width = len(str(top)) * TICK_SIZE * CHAR_WIDTH
    plot_left = math.ceil(PAD + tick_width + 8)
    longest_label = max(len(d.label) for d in days)
    slot = max(MIN_SLOT, math.ceil(longest_label * FONT_SIZE * CHAR_WIDTH) + 8)
    legend, legend_width = _legend(acts_label, members_label, x=plot_left)
    width = max(plot_left + len(days) * slot, plot_left + legend_width) + PAD
    # A short chart under a long legend keeps its days centred in the plot.
    first_slot = plot_left + (width - PAD - plot_left - len(days) * slot) / 2

    parts: list[str] = [_grid(top, step, left=plot_left, right=width - PAD), legend]
    for index, chart_day in enumerate(days):
        parts.append(
            _day(
                chart_day,
                slot_x=first_slot + index * slot,
                slot=slot,
                top=top,
                tooltip=day_titles[index] if day_titles is not None else chart_day.label,
            )
        )
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (caller text escaped, the rest is ours)
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=width,
        height=HEIGHT,
        class_="day-chart",
    )


def _grid(top: int, step: int, *, left: int, right: int) -> str:
    lines = ['<g class="chart-grid">']
    for value in range(0, top + 1, step):
        y = _plain(_y(value, top))
        tick_y = _plain(_y(value, top) + TICK_SIZE * 0.35)
        css, stroke = ("chart-baseline", BASELINE) if value == 0 else ("chart-grid-line", GRID)
        lines.append(
            f'<line class="{css}" x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{stroke}"'
            ' stroke-width="1"/>'
        )
        lines.append(
            f'<text class="chart-tick" x="{left - 8}" y="{tick_y}"'
            f' text-anchor="end" font-size="{TICK_SIZE}" fill="{MUTED}">{value}</text>'
        )
    lines.append("</g>")
    return "".join(lines)


def _legend(acts_label: str, members_label: str, *, x: int) -> tuple[str, int]:
    """Return the legend, a swatch and label per series from ``x``, and its estimated width."""
    parts = ['<g class="chart-legend">']
    cursor = float(x)
    for css, colour, label in (
        ("is-acts", ACCENT, acts_label),
        ("is-members", SOFT, members_label),
    ):
        parts.append(
            f'<rect class="chart-legend-swatch {css}" x="{_plain(cursor)}" y="{PAD + 2}"'
            f' width="{SWATCH}" height="{SWATCH}" rx="2" fill="{colour}"/>'
        )
        cursor += SWATCH + 6
        parts.append(
            f'<text class="chart-legend-label {css}" x="{_plain(cursor)}" y="{PAD + 11}"'
            f' font-size="{FONT_SIZE}" fill="{MUTED}">{escape(label)}</text>'
        )
        cursor += len(label) * FONT_SIZE * CHAR_WIDTH + LEGEND_GAP
    parts.append("</g>")
    return "".join(parts), math.ceil(cursor - LEGEND_GAP - x)


def _day(chart_day: ChartDay, *, slot_x: float, slot: int, top: int, tooltip: str) -> str:
    classes = "chart-day"
    if chart_day.is_today:
        classes += " is-today"
    if chart_day.is_future:
        classes += " is-future"
    acts_x = slot_x + (slot - PAIR_WIDTH) / 2
    if chart_day.is_future and not (chart_day.acts or chart_day.active_members):
        # Nothing has happened yet: an empty, dashed place where the bars will stand.
        shapes = f'<rect class="chart-future" x="{_plain(acts_x - 2)}"{_FUTURE}/>'
    else:
        shapes = _bar(
            "chart-bar-acts", chart_day.acts, top, x=acts_x, width=ACTS_WIDTH, fill=ACCENT
        ) + _bar(
            "chart-bar-members",
            chart_day.active_members,
            top,
            x=acts_x + ACTS_WIDTH + BAR_GAP,
            width=MEMBERS_WIDTH,
            fill=SOFT,
        )
    label_look = _LABEL_TODAY if chart_day.is_today else _LABEL_OTHER
    return (
        f'<g class="{classes}" data-date="{chart_day.day.isoformat()}"'
        f' data-acts="{chart_day.acts}" data-members="{chart_day.active_members}">'
        f"<title>{escape(tooltip)}</title>{shapes}"
        f'<text class="chart-label" x="{_plain(slot_x + slot / 2)}"{label_look}>'
        f"{escape(chart_day.label)}</text></g>"
    )


def _bar(css: str, value: int, top: int, *, x: float, width: int, fill: str) -> str:
    height = PLOT_BOTTOM - _y(value, top)
    if value > 0:
        height = max(height, MIN_BAR)
    corner = ' rx="2"' if height >= 4 else ""  # a sliver stays a plain line
    return (
        f'<rect class="chart-bar {css}" x="{_plain(x)}" y="{_plain(PLOT_BOTTOM - height)}"'
        f' width="{width}" height="{_plain(height)}"{corner} fill="{fill}"/>'
    )


def _y(value: int, top: int) -> float:
    return PLOT_BOTTOM - PLOT_HEIGHT * value / top


def _plain(value: float) -> str:
    """Write a coordinate with at most two decimals and never in scientific notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
