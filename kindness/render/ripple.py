"""Where one act's kindness went, in small: the act as a dot at the top and the
acts that grew below it as rows of dots, one row per generation.

Only counts come in (acts per generation below), so nothing of anyone's acts
can show: no text, no author, no shape beyond how many acts each generation
holds. A generation wider than the row shows its rest as "+N"; generations
deeper than the picture end in a fading trail.
"""

from collections.abc import Sequence

from markupsafe import Markup

from kindness.render import palette
from kindness.render.svg import FONT_FAMILY, num, svg_root

MAX_DOTS, MAX_ROWS = 9, 8
SLOT, ROW, RADIUS, TOP_RADIUS, MARGIN, LABEL_ROOM = 14, 16, 4.5, 7, 10, 34
ORIGIN, SPINE, MORE = palette.WARM, palette.LINE, palette.MUTED
# Generations below fade from the brand's teal to its softer steps.
SHADES = (palette.ACCENT, palette.ACCENT_MID, palette.ACCENT_SOFT)


def ripple_svg(
    per_generation: Sequence[int],
    *,
    title: str,
    description: str,
    id_prefix: str,
) -> Markup:
    """``per_generation``: how many acts grew in each generation below the act,
    the first generation first (zeros and an empty sequence are fine)."""
    rows = [max(0, int(count)) for count in per_generation][:MAX_ROWS]
    deeper = len(per_generation) > MAX_ROWS
    width = 2 * MARGIN + (MAX_DOTS - 1) * SLOT + LABEL_ROOM
    centre = MARGIN + (MAX_DOTS - 1) * SLOT / 2
    top = MARGIN + TOP_RADIUS
    bottom = top + len(rows) * ROW + (ROW if deeper else 0)
    height = bottom + MARGIN + (0 if rows else TOP_RADIUS)
    parts = []
    if rows:
        parts.append(
            f'<line x1="{num(centre)}" y1="{num(top)}" x2="{num(centre)}"'
            f' y2="{num(top + len(rows) * ROW)}" stroke="{SPINE}" stroke-width="1.5"/>'
        )
    for number, count in enumerate(rows):
        y = top + (number + 1) * ROW
        shown = min(count, MAX_DOTS)
        start = centre - (shown - 1) * SLOT / 2
        colour = SHADES[min(number, len(SHADES) - 1)]
        for slot in range(shown):
            parts.append(
                f'<circle cx="{num(start + slot * SLOT)}" cy="{num(y)}" r="{RADIUS}"'
                f' fill="{colour}"/>'
            )
        if count > MAX_DOTS:
            x = start + shown * SLOT - SLOT / 2 + 2
            parts.append(
                f'<text x="{num(x)}" y="{num(y + 4)}" font-size="11" fill="{MORE}"'
                f' font-family="{FONT_FAMILY}">+{count - MAX_DOTS}</text>'
            )
    if deeper:
        y = top + len(rows) * ROW
        for step in (5, 10, 15):
            parts.append(
                f'<circle cx="{num(centre)}" cy="{num(y + step)}" r="1.5" fill="{SPINE}"/>'
            )
    parts.append(f'<circle cx="{num(centre)}" cy="{num(top)}" r="{TOP_RADIUS}" fill="{ORIGIN}"/>')
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (numbers and our own colours only)
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=width,
        height=height,
        class_="ripple",
    )
