"""The heatmap: a year of acts as a calendar of weeks, one cell per day."""

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import svg_root

# Level 0 is a day without acts; then 1, 2, 3-4 and 5 or more.
LEVEL_COLOURS = (
    palette.EMPTY,
    palette.ACCENT_PALE,
    palette.ACCENT_SOFT,
    palette.ACCENT_MID,
    palette.ACCENT,
)
LABEL_INK = palette.MUTED

CELL = 11
STEP = 14  # cell plus gap
LEFT = 32  # room for weekday labels
TOP = 20  # room for month labels
PAD = 4
FONT_SIZE = 10
MIN_LABEL_GAP = 3  # columns between month labels, so short names never touch
LEGEND_GAP = 12

# The attributes every cell of a level shares, built once rather than per cell.
_CELL_SIZE = f' width="{CELL}" height="{CELL}" rx="2"'
_CELL_FILL = tuple(f'{_CELL_SIZE} fill="{colour}"' for colour in LEVEL_COLOURS)


def level(count: int) -> int:
    """Return the colour level, 0 to 4, of a day's number of acts."""
    if count <= 0:
        return 0
    if count <= 2:
        return count
    return 3 if count <= 4 else 4


def heatmap_svg(
    counts: Mapping[date, int],
    *,
    end: date,
    weeks: int = 52,
    title: str,
    description: str,
    month_labels: Sequence[str],
    weekday_labels: Sequence[str],
    legend_less: str,
    legend_more: str,
    cell_title: Callable[[date, int], str],
    id_prefix: str = "heatmap",
) -> Markup:
    """Draw ``weeks`` Monday-first columns, the last one holding ``end``; later days are left out.

    Labels arrive localized: 12 month names January first, 7 weekday names
    Monday first (Mon, Wed and Fri are shown). ``cell_title(day, count)`` gives
    each cell's tooltip.
    """
    if weeks < 1:
        raise ValueError("a heatmap needs at least one week")
    if len(month_labels) != 12:
        raise ValueError("month_labels needs 12 names, January first")
    if len(weekday_labels) != 7:
        raise ValueError("weekday_labels needs 7 names, Monday first")

    first = end - timedelta(days=end.weekday() + 7 * (weeks - 1))
    grid_width = weeks * STEP - (STEP - CELL)
    grid_bottom = TOP + 7 * STEP - (STEP - CELL)

    parts: list[str] = []
    label_columns: list[tuple[int, int]] = []  # (column, month)
    for column in range(weeks):
        monday = first + timedelta(weeks=column)
        x = LEFT + column * STEP
        for row in range(7):
            day = monday + timedelta(days=row)
            if day > end:
                break
            if day.day == 1 or (column == 0 and row == 0):
                label_columns.append((column, day.month))
            count = counts.get(day, 0)
            cell_level = level(count)
            parts.append(
                f'<rect class="heat-cell level-{cell_level}" x="{x}" y="{TOP + row * STEP}"'
                f'{_CELL_FILL[cell_level]} data-date="{day.isoformat()}" data-count="{count}">'
                f"<title>{escape(cell_title(day, count))}</title></rect>"
            )

    parts.extend(_month_labels(label_columns, month_labels))
    for row in (0, 2, 4):
        parts.append(
            _label(
                weekday_labels[row],
                x=LEFT - 6,
                y=TOP + row * STEP + CELL - 1,
                css="heat-weekday",
                anchor="end",
            )
        )

    legend, legend_width = _legend(legend_less, legend_more, y=grid_bottom + LEGEND_GAP)
    width = max(LEFT + grid_width, legend_width + PAD) + PAD
    # The legend hangs from the right edge, like the grid's newest week.
    parts.append(f'<g transform="translate({width - PAD} 0)">{"".join(legend)}</g>')
    height = grid_bottom + LEGEND_GAP + CELL + PAD

    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (caller text escaped above, the rest is ours)
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=width,
        height=height,
        class_="heatmap",
    )


def _month_labels(label_columns: list[tuple[int, int]], names: Sequence[str]) -> list[str]:
    # The first column is labelled only when the next month starts far enough away.
    if len(label_columns) > 1 and label_columns[1][0] - label_columns[0][0] < MIN_LABEL_GAP:
        label_columns = label_columns[1:]
    labels = []
    last = -MIN_LABEL_GAP
    for column, month in label_columns:
        if column - last < MIN_LABEL_GAP:
            continue
        labels.append(_label(names[month - 1], x=LEFT + column * STEP, y=TOP - 7, css="heat-month"))
        last = column
    return labels


def _legend(less: str, more: str, *, y: int) -> tuple[list[str], int]:
    """Return legend parts drawn leftwards from x=0, and their estimated width."""
    # Text width is unknown on the server; 0.6 em per character is a fair guess.
    more_width = len(more) * FONT_SIZE * 0.6
    squares_right = -(more_width + 5)
    parts = [_label(more, x=0, y=y + CELL - 1, anchor="end", css="heat-legend-more")]
    for index, colour in enumerate(LEVEL_COLOURS):
        x = _round(squares_right - (len(LEVEL_COLOURS) - index) * STEP + (STEP - CELL))
        parts.append(
            f'<rect class="heat-legend-cell level-{index}" x="{x}" y="{y}"{_CELL_SIZE}'
            f' fill="{colour}"/>'
        )
    less_right = squares_right - len(LEVEL_COLOURS) * STEP + (STEP - CELL) - 5
    parts.append(
        _label(less, x=_round(less_right), y=y + CELL - 1, anchor="end", css="heat-legend-less")
    )
    less_width = len(less) * FONT_SIZE * 0.6
    return parts, int(-less_right + less_width + 1)


def _label(text: str, *, x: float, y: float, css: str, anchor: str = "start") -> str:
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (
        f'<text class="{css}" x="{x}" y="{y}" font-size="{FONT_SIZE}" fill="{LABEL_INK}"'
        f"{anchor_attr}>{escape(text)}</text>"
    )


def _round(value: float) -> float:
    return round(value, 1)
