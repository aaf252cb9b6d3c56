"""The ripple picture: the act on top, generations as rows of dots, counts only."""

import re

from kindness.render import palette
from kindness.render.ripple import MAX_DOTS, MAX_ROWS, ripple_svg


def draw(counts):
    return str(ripple_svg(counts, title="Where it went", description="2, 1", id_prefix="r-1"))


def dots(svg, colour):
    return len(re.findall(rf'<circle [^>]*fill="{re.escape(colour)}"', svg))


def test_one_dot_per_act_by_generation_with_the_act_on_top():
    svg = draw([2, 1])
    assert dots(svg, palette.WARM) == 1
    assert dots(svg, palette.ACCENT) == 2
    assert dots(svg, palette.ACCENT_MID) == 1
    rows = sorted({float(y) for y in re.findall(r'cy="([\d.]+)"', svg)})
    assert len(rows) == 3  # the act and two generations
    top = re.search(rf'cy="([\d.]+)" r="[\d.]+" fill="{palette.WARM}"', svg)
    assert float(top.group(1)) == rows[0]


def test_accessible_title_and_description():
    svg = draw([1])
    assert 'role="img"' in svg
    assert '<title id="r-1-title">Where it went</title>' in svg
    assert '<desc id="r-1-desc">2, 1</desc>' in svg
    assert 'aria-labelledby="r-1-title r-1-desc"' in svg


def test_wide_and_deep_ripples_stay_small():
    svg = draw([MAX_DOTS + 7] + [1] * (MAX_ROWS + 5))
    assert ">+7</text>" in svg
    assert dots(svg, palette.ACCENT) == MAX_DOTS
    # Rows stop at MAX_ROWS; a trail of three small dots says it went deeper.
    assert dots(svg, palette.LINE) == 3
    width, height = map(float, re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert width < 200 and height < 200


def test_the_only_text_is_a_number():
    svg = draw([30, 12, 3])
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert texts == ["+21", "+3"]
