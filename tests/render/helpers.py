"""Reading the pictures back: parse an SVG, find its parts by class, and the
checks every picture must pass (accessible root, safe under the CSP)."""

import re
from xml.etree import ElementTree

from markupsafe import Markup

from kindness.render.svg import SVG_NS

NS = f"{{{SVG_NS}}}"
# Text a caller might hand over, and how it must come out in the markup.
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;q&#39;"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def parse(svg: Markup | str) -> ElementTree.Element:
    """Parse a picture (it must be well-formed SVG) and return its root."""
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted input
    assert root.tag == f"{NS}svg"
    return root


def classes(node: ElementTree.Element) -> set[str]:
    return set(node.get("class", "").split())


def with_class(root: ElementTree.Element, tag: str, css: str) -> list[ElementTree.Element]:
    """Every ``tag`` element under ``root`` (in document order) that has the class ``css``."""
    return [node for node in root.iter(f"{NS}{tag}") if css in classes(node)]


def assert_csp_safe(svg: Markup | str) -> None:
    """No inline style, no script, no event handler: the strict CSP holds."""
    text = str(svg).lower()
    assert "style" not in text
    assert "<script" not in text
    assert not re.search(r"\son\w+=", text)


def assert_accessible_root(
    root: ElementTree.Element, prefix: str, role: str = "img", natural_size: bool = False
) -> ElementTree.Element:
    """The root is labelled by its own title and description (ids under ``prefix``)
    and scales with its container: a viewBox, and no pixel size unless the picture
    asks for its ``natural_size`` (then the viewBox's own)."""
    assert root.get("role") == role
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    assert root.find(f"{NS}title").get("id") == f"{prefix}-title"
    assert root.find(f"{NS}desc").get("id") == f"{prefix}-desc"
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    x, y, width, height = root.get("viewBox").split()
    assert (x, y) == ("0", "0")
    if natural_size:
        assert (root.get("width"), root.get("height")) == (width, height)
    else:
        assert root.get("width") is None and root.get("height") is None
    return root
