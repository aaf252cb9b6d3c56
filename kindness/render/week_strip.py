"""The week strip: one rounded square per challenge day, filled on days with acts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from kindness.render import palette
from kindness.render.svg import element, svg_root

ACCENT = palette.ACCENT
EMPTY = palette.EMPTY
FUTURE = palette.CREAM
FUTURE_EDGE = palette.LINE
TODAY = palette.WARM
INK = palette.INK
MUTED = palette.MUTED
FAINT = palette.FAINT

CELL = 40
GAP = 10
PAD = 6  # room for today's outline, which is drawn half outside the square
LABEL_Y = 16
CELL_Y = 26
SUMMARY_Y = CELL_Y + CELL + 26
HEIGHT = SUMMARY_Y + 10
SUMMARY_SIZE = 14


@dataclass(frozen=True)
class StripDay:
    day: date
    label: str  # weekday name, already localized ("Mon", "Mo")
    acts: int
    is_today: bool
    is_future: bool


def week_strip_svg(
    days: Sequence[StripDay],
    *,
    title: str,
    summary: str,
    id_prefix: str = "week",
    day_titles: Sequence[str] | None = None,
) -> Markup:
    """Draw 1 to 7 days in a row; ``summary`` ("4 of 7 days") is shown and is the description.

    ``day_titles``, one localized string per day, become each day's tooltip;
    without them the weekday label is used.
    """
    if not 1 <= len(days) <= 7:
        raise ValueError(f"a week strip shows 1 to 7 days, not {len(days)}")
    if day_titles is not None and len(day_titles) != len(days):
        raise ValueError("day_titles needs exactly one title per day")

    row_width = len(days) * CELL + (len(days) - 1) * GAP
    # Text width is unknown on the server; 0.6 em per character is a fair guess,
    # enough to keep a short strip from clipping its summary.
    summary_width = round(len(summary) * SUMMARY_SIZE * 0.6)
    width = PAD * 2 + max(row_width, summary_width)
    left = (width - row_width) // 2
    parts: list[str] = []
    for index, strip_day in enumerate(days):
        x = left + index * (CELL + GAP)
        centre = x + CELL // 2
        parts.append(
            _day(
                strip_day,
                x=x,
                centre=centre,
                tooltip=day_titles[index] if day_titles is not None else strip_day.label,
            )
        )
    parts.append(
        element(
            "text",
            summary,
            class_="strip-summary",
            x=width // 2,
            y=SUMMARY_Y,
            text_anchor="middle",
            font_size=SUMMARY_SIZE,
            fill=INK,
        )
    )
    return svg_root(
        parts,
        id_prefix=id_prefix,
        title=title,
        desc=summary,
        width=width,
        height=HEIGHT,
        class_="week-strip",
    )


def _day(strip_day: StripDay, *, x: int, centre: int, tooltip: str) -> Markup:
    filled = strip_day.acts > 0
    if filled:
        state, fill, stroke, dash, number_fill = "is-filled", ACCENT, None, None, palette.PAPER
    elif strip_day.is_future:
        state, fill, stroke, dash, number_fill = "is-future", FUTURE, FUTURE_EDGE, "4 3", FAINT
    else:
        state, fill, stroke, dash, number_fill = "is-empty", EMPTY, None, None, MUTED
    classes = f"strip-day {state}" + (" is-today" if strip_day.is_today else "")

    square = element(
        "rect",
        class_="strip-cell",
        x=x,
        y=CELL_Y,
        width=CELL,
        height=CELL,
        rx=9,
        fill=fill,
        stroke=stroke,
        stroke_width=1.5 if stroke else None,
        stroke_dasharray=dash,
    )
    children = [element("title", tooltip), square]
    if strip_day.is_today:
        # A separate ring outside the square, so it reads on filled and empty days alike.
        children.append(
            element(
                "rect",
                class_="strip-today",
                x=x - 3,
                y=CELL_Y - 3,
                width=CELL + 6,
                height=CELL + 6,
                rx=11,
                fill="none",
                stroke=TODAY,
                stroke_width=2.5,
            )
        )
    children.append(
        element(
            "text",
            strip_day.label,
            class_="strip-label",
            x=centre,
            y=LABEL_Y,
            text_anchor="middle",
            font_size=12,
            fill=INK if strip_day.is_today else MUTED,
            font_weight="bold" if strip_day.is_today else None,
        )
    )
    children.append(
        element(
            "text",
            str(strip_day.day.day),
            class_="strip-date",
            x=centre,
            y=CELL_Y + CELL // 2 + 5,
            text_anchor="middle",
            font_size=14,
            fill=number_fill,
        )
    )
    return element("g", *children, class_=classes, data_date=strip_day.day.isoformat())
