"""The link-preview card of a chain (1200×630, as link previews expect): words
and figures only, nothing private."""

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import svg_root

WIDTH, HEIGHT = 1200, 630


def share_card_svg(*, headline: str, figures: str, brand: str, id_prefix: str = "card") -> Markup:
    parts = [
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{palette.BACKGROUND}"/>',
        f'<rect x="40" y="40" width="{WIDTH - 80}" height="{HEIGHT - 80}" rx="32"'
        f' fill="{palette.PAPER}" stroke="{palette.ACCENT}" stroke-width="6"'
        ' stroke-dasharray="18 12"/>',
        f'<circle cx="130" cy="140" r="42" fill="{palette.ACCENT}"/>',
        '<path d="M130 168s-24-15-24-32c0-9 6-15 14-15 5 0 8 3 10 6 2-3 5-6 10-6 8 0 14 6 14'
        f' 15 0 17-24 32-24 32z" fill="{palette.PAPER}"/>',
        f'<text x="200" y="156" font-size="44" font-weight="700" fill="{palette.ACCENT}">'
        f"{escape(brand)}</text>",
        f'<text x="100" y="330" font-size="60" font-weight="700" fill="{palette.INK_DARK}">'
        f"{escape(headline)}</text>",
        f'<text x="100" y="420" font-size="40" fill="{palette.SLATE}">{escape(figures)}</text>',
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
