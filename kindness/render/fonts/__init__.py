"""The font the pictures that become PNGs are drawn in, shipped with the package
(DejaVu Sans, licence in ``LICENSE`` beside this file), so a PNG never depends on
the fonts of the machine that renders it."""

import textwrap
from pathlib import Path

FONT_DIR = Path(__file__).parent
# The family those pictures name first; browsers without it fall back to sans-serif.
FONT_FAMILY = "DejaVu Sans"
CSS_FONT_FAMILY = f"{FONT_FAMILY}, sans-serif"
FONT_FILES = (FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf")

# Average advance of a character of DejaVu Sans in ems (bold is wider): wide
# enough that lines wrapped by it stay inside their box.
REGULAR_EM, BOLD_EM = 0.58, 0.68


def wrap_lines(
    text: str, width: float, font_size: float, bold: bool = False, most: int | None = None
) -> list[str]:
    """``text`` in lines that fit ``width`` pixels at ``font_size``; past ``most``
    lines the last one ends in an ellipsis. SVG does not wrap text itself."""
    per_line = max(8, int(width / (font_size * (BOLD_EM if bold else REGULAR_EM))))
    lines = textwrap.wrap(" ".join(text.split()), per_line, break_long_words=True)
    if most is not None and len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: per_line - 1].rstrip() + "…"
    return lines
