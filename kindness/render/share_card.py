"""The link-preview card of a chain (1200×630, as link previews expect): words
and figures only, nothing private. Served as SVG and, drawn from the same SVG by
``render/png.py``, as PNG; its text names the shipped font first."""

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.fonts import CSS_FONT_FAMILY, wrap_lines
from kindness.render.svg import svg_root

WIDTH, HEIGHT = 1200, 630
TEXT_WIDTH = WIDTH - 200
_FONT_GROUP = f'<g font-family="{escape(CSS_FONT_FAMILY)}">'


def _rows(lines: list[str], x: int, y: int, line_height: int) -> str:
    return "".join(
        f'<tspan x="{x}" y="{y + number * line_height}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )


def share_card_svg(*, headline: str, figures: str, brand: str, id_prefix: str = "card") -> Markup:
    headline_lines = wrap_lines(headline, TEXT_WIDTH, 60, bold=True, most=2)
    figure_lines = wrap_lines(figures, TEXT_WIDTH, 40, most=2)
    extra = len(headline_lines) - 1
    parts = [
        _FONT_GROUP,
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{palette.BACKGROUND}"/>',
        f'<rect x="40" y="40" width="{WIDTH - 80}" height="{HEIGHT - 80}" rx="32"'
        f' fill="{palette.PAPER}" stroke="{palette.ACCENT}" stroke-width="6"'
        ' stroke-dasharray="18 12"/>',
        f'<circle cx="130" cy="140" r="42" fill="{palette.ACCENT}"/>',
        '<path d="M130 168s-24-15-24-32c0-9 6-15 14-15 5 0 8 3 10 6 2-3 5-6 10-6 8 0 14 6 14'
        f' 15 0 17-24 32-24 32z" fill="{palette.PAPER}"/>',
        f'<text x="200" y="156" font-size="44" font-weight="700" fill="{palette.ACCENT}">'
        f"{escape(brand)}</text>",
        # A long headline (German is) takes two lines, the figures move down.
        f'<text font-size="60" font-weight="700" fill="{palette.INK_DARK}">'
        f"{_rows(headline_lines, 100, 330 - 40 * extra, 78)}</text>",
        f'<text font-size="40" fill="{palette.SLATE}">'
        f"{_rows(figure_lines, 100, 420 + 38 * extra, 52)}</text>",
        "</g>",
    ]
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (every text above is escaped)
        id_prefix=id_prefix,
        title=headline,
        desc=figures,
        width=WIDTH,
        height=HEIGHT,
        natural_size=True,
    )
