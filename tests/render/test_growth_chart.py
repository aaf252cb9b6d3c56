"""The growth chart: a chain's acts per week, one bar a week."""

from datetime import date, timedelta

import pytest

from kindness.render.growth_chart import BAR, ChartWeek, growth_chart_svg
from tests.render.helpers import (
    HOSTILE,
    HOSTILE_ESCAPED,
    assert_accessible_root,
    assert_csp_safe,
    parse,
    with_class,
)

MONDAY = date(2026, 11, 2)


def weeks(*counts: int) -> list[ChartWeek]:
    return [
        ChartWeek(MONDAY + timedelta(weeks=n), count, f"Week {n + 1}: {count}")
        for n, count in enumerate(counts)
    ]


def chart(items, **overrides):
    kwargs = {"title": "Acts per week", "description": "4 acts", "first_label": "2 Nov"}
    kwargs["last_label"] = "23 Nov"
    kwargs.update(overrides)
    return growth_chart_svg(items, **kwargs)


def test_one_bar_a_week_taller_for_more_acts():
    svg = chart(weeks(1, 2, 0, 4))
    root = assert_accessible_root(parse(svg), "growth")
    assert_csp_safe(svg)
    bars = with_class(root, "rect", "growth-bar")
    assert [bar.get("data-week") for bar in bars] == [
        "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
    ]  # fmt: skip
    heights = [float(bar.get("height")) for bar in bars]
    assert heights[2] == 0
    assert heights[0] < heights[1] < heights[3]
    assert heights[1] == pytest.approx(2 * heights[0])
    assert {bar.get("fill") for bar in bars} == {BAR}
    assert [bar.find("{http://www.w3.org/2000/svg}title").text for bar in bars][1] == "Week 2: 2"
    labels = [text.text for text in with_class(root, "text", "chart-label")]
    assert labels == ["2 Nov", "23 Nov"]


def test_many_weeks_stay_inside_the_picture():
    svg = chart(weeks(*([3] * 300)))
    root = parse(svg)
    width = float(root.get("viewBox").split()[2])
    bars = with_class(root, "rect", "growth-bar")
    assert len(bars) == 300
    for bar in bars:
        left = float(bar.get("x"))
        assert left >= 0
        assert left + float(bar.get("width")) <= width


def test_a_single_week_has_one_label():
    root = parse(chart(weeks(5)))
    assert len(with_class(root, "text", "chart-label")) == 1


def test_caller_text_is_escaped():
    svg = str(chart([ChartWeek(MONDAY, 1, HOSTILE)], title=HOSTILE, first_label=HOSTILE))
    assert "<script>" not in svg
    assert svg.count(HOSTILE_ESCAPED) == 3


@pytest.mark.parametrize(
    "items",
    [
        [],
        [ChartWeek(MONDAY, -1, "x")],
        [ChartWeek(MONDAY, 1, "x"), ChartWeek(MONDAY + timedelta(days=14), 1, "y")],
        [ChartWeek(MONDAY + timedelta(days=7), 1, "x"), ChartWeek(MONDAY, 1, "y")],
    ],
)
def test_bad_weeks_are_refused(items):
    with pytest.raises(ValueError):
        chart(items)
