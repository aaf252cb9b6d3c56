"""QR codes of the links people hand on (pass-it-on cards, team invites), drawn
by segno as SVG: inline in a page, or as a file of its own to download, print or
put on a slide. Paths only, no script and no inline style."""

import io

import segno
from markupsafe import Markup

from kindness.render import palette


def _code(url: str) -> segno.QRCode:
    # Level M: a printed or projected code still reads with a smudge or a glare.
    return segno.make(url, error="m")


def qr_svg(url: str) -> Markup:
    """The link as a QR code, in SVG to put inside a page."""
    svg = _code(url).svg_inline(
        scale=5, dark=palette.INK_DARK, light=palette.PAPER, border=2, omitsize=True
    )
    return Markup(svg)  # noqa: S704  (segno's own markup; the URL is ours)


def qr_svg_file(url: str, title: str) -> str:
    """The link as a standalone SVG document, with the four modules of quiet zone
    around it that scanners expect and a title for screen readers."""
    out = io.BytesIO()
    _code(url).save(
        out,
        kind="svg",
        scale=10,
        border=4,
        dark=palette.INK_DARK,
        light=palette.PAPER,
        title=title,
        xmldecl=True,
    )
    return out.getvalue().decode("utf-8")
