"""A chain in small: dots for acts, lines for forwards, no text at all (so
nothing private can show); public acts filled, the others grey."""

from collections.abc import Sequence

from markupsafe import Markup

from kindness.render import palette
from kindness.render.svg import num, svg_root
from kindness.render.tree_layout import tidy_layout

SLOT, ROW, RADIUS, MARGIN = 16, 20, 5, 8
PUBLIC, OTHER, EDGE = palette.ACCENT, palette.STONE, palette.LINE_GREY


def chain_thumb_svg(
    parents: Sequence[int | None],
    public: Sequence[bool],
    *,
    title: str,
    description: str,
    id_prefix: str,
) -> Markup:
    """``parents`` as in ``tidy_layout`` (index of each node's parent, root first)."""
    xs, rows = tidy_layout(parents)
    points = [(MARGIN + x * SLOT, MARGIN + row * ROW) for x, row in zip(xs, rows, strict=True)]
    width = MARGIN * 2 + (max(xs, default=0)) * SLOT
    height = MARGIN * 2 + (max(rows, default=0)) * ROW
    parts = []
    for number, parent in enumerate(parents):
        if parent is not None:
            (x1, y1), (x2, y2) = points[parent], points[number]
            parts.append(
                f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"'
                f' stroke="{EDGE}" stroke-width="1.5"/>'
            )
    for (x, y), shown in zip(points, public, strict=True):
        colour = PUBLIC if shown else OTHER
        parts.append(f'<circle cx="{num(x)}" cy="{num(y)}" r="{RADIUS}" fill="{colour}"/>')
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (numbers and our own colours only)
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=max(width, 2 * MARGIN),
        height=max(height, 2 * MARGIN),
        class_="chain-thumb",
    )
