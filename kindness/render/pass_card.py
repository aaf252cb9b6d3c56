"""The pass-it-on card as a picture (1080×1350, a portrait that chat apps show
whole): the invitation, the act's text if its author chose to show it, the QR
code and the link. It carries the claim code, so it is drawn for its author
only; the words come translated, the QR code as a matrix of modules."""

from collections.abc import Sequence

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.fonts import CSS_FONT_FAMILY, wrap_lines
from kindness.render.svg import svg_root

WIDTH, HEIGHT = 1080, 1350
MARGIN = 110  # text starts here, inside the dashed border
TEXT_WIDTH = WIDTH - 2 * MARGIN
QR_SIZE, QR_SIZE_SMALLEST = 400, 280
QUOTE_LINES = 5
_FONT_GROUP = f'<g font-family="{escape(CSS_FONT_FAMILY)}">'


def _lines(text: str, font_size: int, bold: bool = False, most: int | None = None) -> list[str]:
    return wrap_lines(text, TEXT_WIDTH, font_size, bold=bold, most=most)


def _text_block(
    lines: list[str], *, y: int, font_size: int, fill: str, bold: bool = False, x: int = MARGIN
) -> tuple[str, int]:
    """The lines as one ``<text>`` of ``<tspan>`` rows from baseline ``y``; and the
    baseline after the block."""
    line_height = round(font_size * 1.3)
    weight = ' font-weight="700"' if bold else ""
    spans = "".join(
        f'<tspan x="{x}" y="{y + number * line_height}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    return (
        f'<text font-size="{font_size}"{weight} fill="{fill}">{spans}</text>',
        y + len(lines) * line_height,
    )


def _qr(modules: Sequence[Sequence[bool]], x: float, y: float, size: float) -> str:
    """The QR code as one path of unit squares, scaled into ``size`` pixels with a
    quiet zone of two modules on white."""
    count = len(modules)
    if count == 0:
        return ""
    scale = size / (count + 4)
    squares = "".join(
        f"M{column + 2} {row + 2}h1v1h-1z"
        for row, line in enumerate(modules)
        for column, dark in enumerate(line)
        if dark
    )
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{size:g}" height="{size:g}" fill="{palette.PAPER}"/>'
        f'<path transform="translate({x:g} {y:g}) scale({scale:.4f})" d="{squares}"'
        f' fill="{palette.INK_DARK}" shape-rendering="crispEdges"/>'
    )


def pass_card_svg(
    *,
    brand: str,
    headline: str,
    invitation: str,
    url: str,
    qr_modules: Sequence[Sequence[bool]],
    quote: str | None = None,
    id_prefix: str = "pass-card",
) -> Markup:
    """The card a giver hands over, as SVG of ``WIDTH`` × ``HEIGHT``; ``quote`` is
    the act's text, or None when its author keeps it off the card."""
    parts = [
        _FONT_GROUP,
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{palette.BACKGROUND}"/>',
        f'<rect x="40" y="40" width="{WIDTH - 80}" height="{HEIGHT - 80}" rx="32"'
        f' fill="{palette.PAPER}" stroke="{palette.ACCENT}" stroke-width="6"'
        ' stroke-dasharray="18 12"/>',
        f'<circle cx="{MARGIN + 32}" cy="142" r="32" fill="{palette.ACCENT}"/>',
        f'<path transform="translate({MARGIN + 32 - 130 * 0.76:g} {142 - 140 * 0.76:g})'
        ' scale(0.76)" d="M130 168s-24-15-24-32c0-9 6-15 14-15 5 0 8 3 10 6 2-3 5-6 10-6'
        f' 8 0 14 6 14 15 0 17-24 32-24 32z" fill="{palette.PAPER}"/>',
        f'<text x="{MARGIN + 84}" y="156" font-size="38" font-weight="700"'
        f' fill="{palette.ACCENT}">{escape(brand)}</text>',
    ]
    block, y = _text_block(
        _lines(headline, 56, bold=True, most=3),
        y=280,
        font_size=56,
        fill=palette.INK_DARK,
        bold=True,
    )
    parts.append(block)
    if quote:
        quote_lines = _lines(quote, 36, most=QUOTE_LINES)
        top = y - 6
        block, y = _text_block(quote_lines, y=y + 30, font_size=36, fill=palette.INK, x=MARGIN + 30)
        parts.append(
            f'<rect x="{MARGIN}" y="{top}" width="8" height="{y - top - 12}" rx="4"'
            f' fill="{palette.ACCENT_SOFT}"/>'
        )
        parts.append(block)
    block, y = _text_block(
        _lines(invitation, 30, most=6),
        y=y + 40,
        font_size=30,
        fill=palette.SLATE,
    )
    parts.append(block)
    url_lines = _lines(url, 26, most=2)
    # The QR code fills what the words leave, down to a size phones still read.
    bottom = HEIGHT - 80 - 34 * len(url_lines) - 20
    qr_size = max(QR_SIZE_SMALLEST, min(QR_SIZE, bottom - y))
    qr_top = bottom - qr_size
    parts.append(_qr(qr_modules, (WIDTH - qr_size) / 2, qr_top, qr_size))
    url_y = qr_top + qr_size + 44
    spans = "".join(
        f'<tspan x="{WIDTH // 2}" y="{url_y + number * 34}">{escape(line)}</tspan>'
        for number, line in enumerate(url_lines)
    )
    parts.append(
        f'<text font-size="26" text-anchor="middle" fill="{palette.INK_DARK}">{spans}</text>'
    )
    parts.append("</g>")
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704  (every text above is escaped)
        id_prefix=id_prefix,
        title=headline,
        desc=invitation,
        width=WIDTH,
        height=HEIGHT,
        natural_size=True,
    )
