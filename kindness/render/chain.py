"""The chain picture: a tree of forwarded acts, one box per act, generations in rows.

The caller masks and localizes every string (docs/design.md, "Who sees what"); this
module only lays the boxes out (``tree_layout.tidy_layout``) and escapes.
Chains run to thousands of boxes, so the markup is assembled as f-strings from
pre-built attribute runs and joined once, rather than one ``element`` call per
shape; every caller-supplied string still goes through ``escape``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from kindness.render import palette
from kindness.render.svg import attrs, svg_root
from kindness.render.tree_layout import tidy_layout

ACCENT = palette.ACCENT
OWN = palette.WARM
INK = palette.INK
MUTED = palette.MUTED
FAINT = palette.FAINT
EDGE = palette.LINE
PLACEHOLDER = palette.EMPTY
PAPER = palette.PAPER
TEAM_FILL = palette.ACCENT_TINT
COLLAPSED_FILL = palette.CREAM

BOX_W = 180
BOX_H = 76  # two lines of label, one of names, one of date
SLOT = 196  # horizontal distance between neighbouring slots
ROW = BOX_H + 40  # vertical distance between generations
PAD = 8  # room for the own-act ring, drawn outside the box
RING = 4  # gap between a box and its own-act ring
PILL_H = 38
DOT_W = 96  # a placeholder is a compact box: it has nothing to read
DOT_H = 28

LABEL_SIZE = 13
SUBLABEL_SIZE = 10.5
# Text is measured by the browser, not here; these limits keep an average
# proportional font inside the box with some margin either side.
LABEL_CHARS = 22  # per line; labels wrap onto two lines
SUBLABEL_CHARS = 28

KINDS = ("act", "placeholder", "collapsed")
_SAFE_SCHEMES = ("", "http", "https")


@dataclass(frozen=True)
class ChainNode:
    key: str  # public reference of the act (safe to show)
    parent_key: str | None
    kind: str  # "act", "placeholder" (masked act) or "collapsed" (a "+N acts" stand-in)
    label: str  # main text, "" for placeholders; truncated in the box, whole in the tooltip
    sublabel: str = ""  # e.g. "Ada → someone" (or with the date, on one line)
    date: str = ""  # drawn on its own line, never cut
    title: str = ""  # tooltip; defaults to label and sublabel
    href: str | None = None  # wraps the node in a link (collapsed: opens that subtree)
    is_own: bool = False  # the viewer's own act
    on_path: bool = False  # on the highlighted path from the root to the chosen act
    is_team: bool = False  # a team's act


# Attribute runs shared by every box of a kind; only positions vary per node.
_ACT_BOX = attrs(class_="chain-box", width=BOX_W, height=BOX_H, rx=8, stroke=ACCENT)
_PLACEHOLDER_BOX = attrs(class_="chain-box", width=DOT_W, height=DOT_H, rx=8, fill=PLACEHOLDER)
_PILL = attrs(
    class_="chain-box",
    width=BOX_W,
    height=PILL_H,
    rx=PILL_H // 2,
    fill=COLLAPSED_FILL,
    stroke=FAINT,
    stroke_width=1.5,
    stroke_dasharray="5 4",
)
_RING = attrs(
    class_="chain-own",
    width=BOX_W + 2 * RING,
    height=BOX_H + 2 * RING,
    rx=11,
    fill="none",
    stroke=OWN,
    stroke_width=2.5,
)
_LABEL = attrs(
    class_="chain-label", text_anchor="middle", font_size=LABEL_SIZE, font_weight=600, fill=INK
)
_SUBLABEL = attrs(
    class_="chain-sublabel", text_anchor="middle", font_size=SUBLABEL_SIZE, fill=MUTED
)
_DOT = attrs(class_="chain-dot", r=2.5, fill=FAINT)
_EDGE = attrs(stroke=EDGE, stroke_width=1.5)
_PATH_EDGE = attrs(stroke=ACCENT, stroke_width=2.5)


def chain_svg(
    nodes: Sequence[ChainNode],
    *,
    title: str,
    description: str,
    id_prefix: str = "chain",
) -> Markup:
    """Draw ``nodes`` (parents first, root first, unique keys) as a top-down tree.

    Raises ``ValueError`` on an empty list, an unknown or later ``parent_key``,
    a duplicate key, an unknown kind or a link that is not http(s) or relative.
    """
    if not nodes:
        raise ValueError("a chain needs at least one act")
    index: dict[str, int] = {}
    parents: list[int | None] = []
    for position, node in enumerate(nodes):
        if node.kind not in KINDS:
            raise ValueError(f"unknown node kind {node.kind!r}")
        if node.key in index:
            raise ValueError(f"duplicate key {node.key!r}")
        if node.href is not None and urlsplit(node.href).scheme.lower() not in _SAFE_SCHEMES:
            raise ValueError(f"unsafe link for node {node.key!r}")
        if node.parent_key is None:
            parents.append(None)
        elif node.parent_key in index:
            parents.append(index[node.parent_key])
        else:
            raise ValueError(f"unknown parent {node.parent_key!r} of {node.key!r}")
        index[node.key] = position
    # tidy_layout insists on a single root at position 0.
    x_slots, rows = tidy_layout(parents)

    lefts = [PAD + RING + x * SLOT for x in x_slots]
    tops = [PAD + RING + row * ROW for row in rows]
    width = math.ceil(2 * (PAD + RING) + max(x_slots) * SLOT + BOX_W)
    height = 2 * (PAD + RING) + max(rows) * ROW + BOX_H

    edges: list[str] = []
    path_edges: list[str] = []  # drawn last, so the highlighted path lies on top
    for child in range(1, len(nodes)):
        parent = parents[child]
        assert parent is not None  # only node 0 is a root
        emphasised = nodes[child].on_path and nodes[parent].on_path
        (path_edges if emphasised else edges).append(
            _edge(
                lefts[parent] + BOX_W / 2,
                tops[parent] + BOX_H - _INSET[nodes[parent].kind],
                lefts[child] + BOX_W / 2,
                tops[child] + _INSET[nodes[child].kind],
                emphasised,
            )
        )

    parts: list[str] = ['<g class="chain-edges" fill="none">', *edges, *path_edges, "</g>"]
    parts.append('<g class="chain-nodes">')
    parts.extend(_node(node, lefts[i], tops[i]) for i, node in enumerate(nodes))
    parts.append("</g>")
    return svg_root(
        [Markup("".join(parts))],  # noqa: S704 - every caller string above went through escape
        id_prefix=id_prefix,
        title=title,
        desc=description,
        width=width,
        height=height,
        class_="chain-tree",
        # Drawn at its own size: a small chain stays small, a big one scrolls.
        natural_size=True,
        role="group" if any(node.href for node in nodes) else "img",
    )


# How far a compact node's box sits inside its slot, top and bottom.
_INSET = {"act": 0.0, "placeholder": (BOX_H - DOT_H) / 2, "collapsed": (BOX_H - PILL_H) / 2}


def _n(value: float) -> str:
    # One decimal is plenty for screen units; ``:g`` would turn wide charts into 1.9e+06.
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _edge(x1: float, y1: float, x2: float, y2: float, emphasised: bool) -> str:
    mid = (y1 + y2) / 2
    d = f"M{_n(x1)} {_n(y1)}C{_n(x1)} {_n(mid)} {_n(x2)} {_n(mid)} {_n(x2)} {_n(y2)}"
    if emphasised:
        return f'<path class="chain-edge on-path" d="{d}"{_PATH_EDGE}/>'
    return f'<path class="chain-edge" d="{d}"{_EDGE}/>'


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _wrap(text: str, limit: int) -> list[str]:
    """``text`` on at most two lines of about ``limit`` characters, broken between
    words where it can; only what does not fit on the second line is cut."""
    if len(text) <= limit:
        return [text] if text else []
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= limit // 2:
        cut = limit  # one long word: break inside it
    first, rest = text[:cut].rstrip(), text[cut:].lstrip()
    return [first, _clip(rest, limit)] if rest else [first]


def _node(node: ChainNode, left: float, top: float) -> str:
    classes = f"chain-node kind-{node.kind}"
    if node.is_own:
        classes += " is-own"
    if node.on_path:
        classes += " on-path"
    if node.is_team:
        classes += " is-team"
    x, y, cx = _n(left), _n(top), _n(left + BOX_W / 2)

    parts = [f'<g class="{classes}" data-key="{escape(node.key)}">']
    tooltip = node.title or " · ".join(
        text for text in (node.label, node.sublabel, node.date) if text
    )
    if tooltip:
        parts.append(f"<title>{escape(tooltip)}</title>")
    if node.is_own:
        parts.append(f'<rect x="{_n(left - RING)}" y="{_n(top - RING)}"{_RING}/>')

    if node.kind == "act":
        fill = TEAM_FILL if node.is_team else PAPER
        stroke_width = 2.5 if node.on_path else 1.2
        parts.append(
            f'<rect x="{x}" y="{y}"{_ACT_BOX} fill="{fill}" stroke-width="{stroke_width}"/>'
        )
        lines = _wrap(node.label, LABEL_CHARS)
        small = [text for text in (_clip(node.sublabel, SUBLABEL_CHARS), node.date) if text]
        # Centre the block of lines in the box: 16 px per label line, 14 per small one.
        block = 16 * len(lines) + 14 * len(small)
        baseline = top + (BOX_H - block) / 2 + 12
        for line in lines:
            parts.append(f'<text x="{cx}" y="{_n(baseline)}"{_LABEL}>{escape(line)}</text>')
            baseline += 16
        for text in small:
            baseline += 1
            parts.append(f'<text x="{cx}" y="{_n(baseline)}"{_SUBLABEL}>{escape(text)}</text>')
            baseline += 13
    elif node.kind == "placeholder":
        outline = f' stroke="{ACCENT}" stroke-width="2.5"' if node.on_path else ""
        dot_x, dot_y = _n(left + (BOX_W - DOT_W) / 2), _n(top + (BOX_H - DOT_H) / 2)
        parts.append(f'<rect x="{dot_x}" y="{dot_y}"{_PLACEHOLDER_BOX}{outline}/>')
        parts.append(f'<circle cx="{cx}" cy="{_n(top + BOX_H / 2)}"{_DOT}/>')
    else:
        pill_top = top + (BOX_H - PILL_H) / 2
        parts.append(f'<rect x="{x}" y="{_n(pill_top)}"{_PILL}/>')
        fill = ACCENT if node.href else MUTED
        parts.append(
            f'<text x="{cx}" y="{_n(pill_top + PILL_H / 2 + 4.5)}" class="chain-label"'
            f' text-anchor="middle" font-size="{LABEL_SIZE}" fill="{fill}">'
            f"{escape(_clip(node.label, LABEL_CHARS))}</text>"
        )
    parts.append("</g>")

    if node.href is not None:
        return f'<a href="{escape(node.href)}" class="chain-link">{"".join(parts)}</a>'
    return "".join(parts)
