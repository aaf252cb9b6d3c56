"""SVG to PNG, for the places that do not show SVG (link previews in social and
messaging apps, a card sent in a chat): drawn by resvg with the font shipped in
``render/fonts``, never a system font, so a PNG looks the same on every machine.

resvg (through the ``resvg_py`` wheel) is a self-contained Rust renderer: no
Cairo, Pango or fontconfig on the machine, and it reads only the font files
named here (``skip_system_fonts``).
"""

from pathlib import Path

import resvg_py

from kindness.render.fonts import FONT_FAMILY, FONT_FILES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def svg_to_png(
    svg: str,
    width: int,
    height: int,
    font_files: tuple[Path, ...] = FONT_FILES,
    font_family: str = FONT_FAMILY,
) -> bytes:
    """Draw ``svg`` as a PNG of ``width`` × ``height`` pixels, its text in the
    given font files alone (any family asked for that is not there falls back to
    ``font_family``)."""
    if width <= 0 or height <= 0:
        raise ValueError(f"a PNG needs a positive size, not {width}×{height}")
    png = resvg_py.svg_to_bytes(
        svg_string=svg,
        width=width,
        height=height,
        skip_system_fonts=True,
        font_files=[str(path) for path in font_files],
        font_family=font_family,
        sans_serif_family=font_family,
        serif_family=font_family,
        monospace_family=font_family,
        languages=["en", "de"],
    )
    return bytes(png)
