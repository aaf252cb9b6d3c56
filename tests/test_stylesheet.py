"""The stylesheet's small print: text on a coloured background keeps WCAG AA
contrast (4.5:1), which axe-core checks only on the pages a browser test opens."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "css" / "kindness.css").read_text()


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*([^;]+);", root))


def rule(selector: str) -> dict[str, str]:
    body = re.search(rf"(?m)^{re.escape(selector)}\s*\{{(.*?)\}}", CSS, re.S).group(1)
    found = dict(re.findall(r"([\w-]+):\s*([^;]+);", body))
    names = variables()
    return {key: names.get(m.group(1), value) if (m := re.fullmatch(r"var\((--[\w-]+)\)", value))
            else value for key, value in found.items()}  # fmt: skip


def luminance(colour: str) -> float:
    colour = colour.strip().lstrip("#")
    if len(colour) == 3:
        colour = "".join(c * 2 for c in colour)
    channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula():
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#c8623b", "#fff") < 4.5  # the warm accent alone is too light for small text


@pytest.mark.parametrize("selector", [".badge"])
def test_small_text_on_a_coloured_background_keeps_aa_contrast(selector):
    """The inbox's unread count: every member with a week notice sees it on every page."""
    found = rule(selector)
    assert contrast(found["background"], found["color"]) >= 4.5


@pytest.mark.parametrize(
    "selector", [".http-method", ".http-post", ".http-put, .http-patch", ".http-delete"]
)
def test_the_api_references_method_badges_keep_aa_contrast(selector):
    """GET, POST... on /developers/api: white letters (from .http-method) on each colour."""
    background = rule(selector)["background"]
    assert contrast(background, rule(".http-method")["color"]) >= 4.5


def test_the_api_references_required_mark_keeps_aa_contrast():
    colour = rule(".api-required")["color"]
    for background in (variables()["--card"], variables()["--paper"]):
        assert contrast(colour, background) >= 4.5
