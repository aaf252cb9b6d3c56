"""The day chart: a team's days side by side, acts and active members as grouped bars."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from kindness.render import palette
from kindness.render.svg import element, grid_step, svg_root

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

    parts: list[str] = [*_grid(top, step, left=plot_left, right=width - PAD), legend]
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
        parts,
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=width,
        height=HEIGHT,
        class_="day-chart",
    )


def _grid(top: int, step: int, *, left: int, right: int) -> list[Markup]:
    lines: list[Markup] = []
    for value in range(0, top + 1, step):
        y = _y(value, top)
        lines.append(
            element(
                "line",
                class_="chart-baseline" if value == 0 else "chart-grid-line",
                x1=left,
                y1=_plain(y),
                x2=right,
                y2=_plain(y),
                stroke=BASELINE if value == 0 else GRID,
                stroke_width=1,
            )
        )
        lines.append(
            element(
                "text",
                str(value),
                class_="chart-tick",
                x=left - 8,
                y=_plain(y + TICK_SIZE * 0.35),
                text_anchor="end",
                font_size=TICK_SIZE,
                fill=MUTED,
            )
        )
    return [element("g", *lines, class_="chart-grid")]


def _legend(acts_label: str, members_label: str, *, x: int) -> tuple[Markup, int]:
    """Return the legend, a swatch and label per series from ``x``, and its estimated width."""
    parts: list[Markup] = []
    cursor = float(x)
    for css, colour, label in (
        ("is-acts", ACCENT, acts_label),
        ("is-members", SOFT, members_label),
    ):
        parts.append(
            element(
                "rect",
                class_=f"chart-legend-swatch {css}",
                x=_plain(cursor),
                y=PAD + 2,
                width=SWATCH,
                height=SWATCH,
                rx=2,
                fill=colour,
            )
        )
        cursor += SWATCH + 6
        parts.append(
            element(
                "text",
                label,
                class_=f"chart-legend-label {css}",
                x=_plain(cursor),
                y=PAD + 11,
                font_size=FONT_SIZE,
                fill=MUTED,
            )
        )
        cursor += len(label) * FONT_SIZE * CHAR_WIDTH + LEGEND_GAP
    return element("g", *parts, class_="chart-legend"), math.ceil(cursor - LEGEND_GAP - x)


def _day(chart_day: ChartDay, *, slot_x: float, slot: int, top: int, tooltip: str) -> Markup:
    classes = "chart-day"
    if chart_day.is_today:
        classes += " is-today"
    if chart_day.is_future:
        classes += " is-future"
    acts_x = slot_x + (slot - PAIR_WIDTH) / 2
    children = [element("title", tooltip)]
    if chart_day.is_future and not (chart_day.acts or chart_day.active_members):
        # Nothing has happened yet: an empty, dashed place where the bars will stand.
        children.append(
            element(
                "rect",
                class_="chart-future",
                x=_plain(acts_x - 2),
                y=PLOT_TOP + PLOT_HEIGHT // 2,
                width=PAIR_WIDTH + 4,
                height=PLOT_HEIGHT // 2,
                rx=3,
                fill="none",
                stroke=FUTURE_EDGE,
                stroke_width=1.5,
                stroke_dasharray="4 3",
            )
        )
    else:
        children.append(
            _bar("chart-bar-acts", chart_day.acts, top, x=acts_x, width=ACTS_WIDTH, fill=ACCENT)
        )
        children.append(
            _bar(
                "chart-bar-members",
                chart_day.active_members,
                top,
                x=acts_x + ACTS_WIDTH + BAR_GAP,
                width=MEMBERS_WIDTH,
                fill=SOFT,
            )
        )
    children.append(
        element(
            "text",
            chart_day.label,
            class_="chart-label",
            x=_plain(slot_x + slot / 2),
            y=LABEL_Y,
            text_anchor="middle",
            font_size=FONT_SIZE,
            fill=WARM if chart_day.is_today else MUTED,
            font_weight="bold" if chart_day.is_today else None,
        )
    )
    return element(
        "g",
        *children,
        class_=classes,
        data_date=chart_day.day.isoformat(),
        data_acts=chart_day.acts,
        data_members=chart_day.active_members,
    )


def _bar(css: str, value: int, top: int, *, x: float, width: int, fill: str) -> Markup:
    height = PLOT_BOTTOM - _y(value, top)
    if value > 0:
        height = max(height, MIN_BAR)
    return element(
        "rect",
        class_=f"chart-bar {css}",
        x=_plain(x),
        y=_plain(PLOT_BOTTOM - height),
        width=width,
        height=_plain(height),
        rx=2 if height >= 4 else None,  # a sliver stays a plain line
        fill=fill,
    )


def _y(value: int, top: int) -> float:
    return PLOT_BOTTOM - PLOT_HEIGHT * value / top


def _plain(value: float) -> str:
    """Write a coordinate with at most two decimals and never in scientific notation."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
