"""Shared SVG builders: escaped attributes, elements and the accessible root.

The pictures are drawn on every page view, some with hundreds of shapes, so they
are assembled as plain ``str`` pieces (f-strings around attribute runs built once
at import) joined once and wrapped in ``Markup`` once, by ``svg_root``. Numbers
and our own constants (classes, colours) go in as they are; every text that
comes from a caller (labels, titles, user text, links) goes through
``markupsafe.escape`` exactly once. ``attrs`` and ``element`` escape every
value, for the odd shape and for the runs built at import.

Pictures carry no ``style`` attribute or element, so they hold under a strict
Content-Security-Policy.
"""

import math
import re
from collections.abc import Iterable

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"

_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def attrs(**attributes: object) -> Markup:
    """Return ` name="value"` pairs, escaped; ``None`` is skipped.

    Underscores become hyphens (``aria_label``, ``data_date``) and a trailing
    underscore is dropped (``class_``); camelCase names such as ``viewBox`` stay.
    """
    return _built(
        "".join(
            f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
            for name, value in attributes.items()
            if value is not None
        )
    )


def element(tag: str, *children: object, **attributes: object) -> Markup:
    """Return ``<tag ...>children</tag>``; children that are not Markup are escaped."""
    if not children:
        return _built(f"<{tag}{attrs(**attributes)}/>")
    inner = "".join([escape(child) for child in children])
    return _built(f"<{tag}{attrs(**attributes)}>{inner}</{tag}>")


def _built(text: str) -> Markup:
    # Only for strings assembled above from escaped values and fixed tag names;
    # Markup.format would do the same escaping but is ten times slower.
    return Markup(text)  # noqa: S704


def check_id_prefix(id_prefix: str) -> str:
    # The prefix ends up in space-separated aria-labelledby, so it must be one token.
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be letters, digits, '-' or '_': {id_prefix!r}")
    return id_prefix


def svg_root(
    body: Iterable[str],
    *,
    id_prefix: str,
    title: str,
    desc: str,
    width: float,
    height: float,
    class_: str | None = None,
    natural_size: bool = False,
    role: str = "img",
) -> Markup:
    """Wrap ``body`` parts in an accessible, scalable ``<svg>``.

    Parts that are not Markup are escaped: a renderer hands its pieces, already
    escaped, joined into one Markup. No pixel width is set unless
    ``natural_size``: the viewBox then scales to its container. A picture
    with links in it is a ``group``: an ``img`` hides its children from
    assistive technology, links included, while they stay focusable.
    """
    check_id_prefix(id_prefix)
    opening = attrs(
        xmlns=SVG_NS,
        role=role,
        viewBox=f"0 0 {num(width)} {num(height)}",
        preserveAspectRatio="xMidYMid meet",
        aria_labelledby=f"{id_prefix}-title {id_prefix}-desc",
        class_=class_,
        width=num(width) if natural_size else None,
        height=num(height) if natural_size else None,
        font_family=FONT_FAMILY,
    )
    inner = "".join([escape(part) for part in body])
    return _built(
        f'<svg{opening}><title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>{inner}</svg>'
    )


def num(value: float) -> str:
    """Format a coordinate without a needless ``.0``."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def grid_step(peak: int, max_steps: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that covers ``peak`` in at
    most ``max_steps`` steps (the gridlines of a chart)."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(peak / step) <= max_steps:
                return step
        magnitude *= 10
