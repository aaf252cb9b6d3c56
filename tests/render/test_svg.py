"""The SVG building blocks: attributes and elements, always escaped."""

from markupsafe import Markup

from kindness.render.svg import attrs, element
from tests.render.helpers import HOSTILE, HOSTILE_ESCAPED


def test_attrs_escape_values_and_hyphenate_names():
    assert attrs(class_="a b", data_date="x", skipped=None) == ' class="a b" data-date="x"'
    assert attrs(viewBox="0 0 1 1") == ' viewBox="0 0 1 1"'
    assert attrs(title=HOSTILE) == f' title="{HOSTILE_ESCAPED}"'


def test_element_escapes_text_but_keeps_markup_children():
    inner = element("tspan", HOSTILE)
    assert element("text", inner, HOSTILE) == (
        f"<text><tspan>{HOSTILE_ESCAPED}</tspan>{HOSTILE_ESCAPED}</text>"
    )
    assert element("rect", x=1) == '<rect x="1"/>'
    assert isinstance(element("g"), Markup)
