"""The week strip: one rounded square per challenge day, filled on days with acts."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import svg_root

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

# Built once: the square's attributes after its x in each state, with the date's
# colour; the ring of today after its x; the labels' attributes after their x.
_BOX = f' y="{CELL_Y}" width="{CELL}" height="{CELL}" rx="9"'
_STATES = {
    "is-filled": (f'{_BOX} fill="{ACCENT}"', palette.PAPER),
    "is-future": (
        f'{_BOX} fill="{FUTURE}" stroke="{FUTURE_EDGE}" stroke-width="1.5" stroke-dasharray="4 3"',
        FAINT,
    ),
    "is-empty": (f'{_BOX} fill="{EMPTY}"', MUTED),
}
_TODAY_RING = (
    f' y="{CELL_Y - 3}" width="{CELL + 6}" height="{CELL + 6}" rx="11" fill="none"'
    f' stroke="{TODAY}" stroke-width="2.5"'
)
_LABEL = f' y="{LABEL_Y}" text-anchor="middle" font-size="12"'
_DATE = f' y="{CELL_Y + CELL // 2 + 5}" text-anchor="middle" font-size="14"'


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
        f'<text class="strip-summary" x="{width // 2}" y="{SUMMARY_Y}" text-anchor="middle"'
        f' font-size="{SUMMARY_SIZE}" fill="{INK}">{escape(summary)}</text>'
    )
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (caller text escaped, the rest is ours)
        id_prefix=id_prefix,
        title=title,
        desc=summary,
        width=width,
        height=HEIGHT,
        class_="week-strip",
    )


def _day(strip_day: StripDay, *, x: int, centre: int, tooltip: str) -> str:
    if strip_day.acts > 0:
        state = "is-filled"
    elif strip_day.is_future:
        state = "is-future"
    else:
        state = "is-empty"
    square, number_fill = _STATES[state]
    today = strip_day.is_today
    # A separate ring outside the square, so it reads on filled and empty days alike.
    ring = f'<rect class="strip-today" x="{x - 3}"{_TODAY_RING}/>' if today else ""
    label_look = f' fill="{INK}" font-weight="bold"' if today else f' fill="{MUTED}"'
    return (
        f'<g class="strip-day {state}{" is-today" if today else ""}"'
        f' data-date="{strip_day.day.isoformat()}"><title>{escape(tooltip)}</title>'
        f'<rect class="strip-cell" x="{x}"{square}/>{ring}'
        f'<text class="strip-label" x="{centre}"{_LABEL}{label_look}>'
        f"{escape(strip_day.label)}</text>"
        f'<text class="strip-date" x="{centre}"{_DATE} fill="{number_fill}">'
        f"{strip_day.day.day}</text>"
        "</g>"
    )
