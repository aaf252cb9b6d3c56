"""The day chart: a team's days as grouped bars of acts and active members."""

import re
from datetime import date, timedelta
from itertools import pairwise
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from kindness.render.day_chart import ACCENT, SOFT, WARM, ChartDay, day_chart_svg
from tests.render.helpers import (
    HOSTILE,
    HOSTILE_ESCAPED,
    NS,
    assert_accessible_root,
    assert_csp_safe,
    classes,
    parse,
    with_class,
)

MONDAY = date(2026, 11, 23)
ACTS = (5, 2, 0, 7, 3, 0, 0)
MEMBERS = (3, 2, 0, 4, 2, 0, 0)


def week(acts=ACTS, members=MEMBERS, today_index=4, label=None) -> list[ChartDay]:
    return [
        ChartDay(
            day=MONDAY + timedelta(days=i),
            label=label if label is not None else f"Day {i + 1}",
            acts=count,
            active_members=members[i],
            is_today=i == today_index,
            is_future=i > today_index,
        )
        for i, count in enumerate(acts)
    ]


def chart(days=None, **overrides) -> Markup:
    kwargs = {
        "title": "The team's week",
        "description": "17 acts by 4 members",
        "acts_label": "Acts",
        "members_label": "Members active",
    }
    kwargs.update(overrides)
    return day_chart_svg(week() if days is None else days, **kwargs)


def day_groups(root: ElementTree.Element) -> list[ElementTree.Element]:
    return with_class(root, "g", "chart-day")


def bars(node: ElementTree.Element, css: str) -> list[ElementTree.Element]:
    return with_class(node, "rect", css)


def height(bar: ElementTree.Element | None) -> float:
    return 0.0 if bar is None else float(bar.get("height"))


def bar_of(group: ElementTree.Element, css: str) -> ElementTree.Element | None:
    found = bars(group, css)
    assert len(found) <= 1
    return found[0] if found else None


def test_one_group_per_day_with_two_bars_until_today():
    svg = chart()
    assert isinstance(svg, Markup)
    groups = day_groups(parse(svg))
    assert len(groups) == 7
    for index, group in enumerate(groups):
        expected = 0 if index > 4 else 1  # days after today have no bars yet
        assert len(bars(group, "chart-bar-acts")) == expected
        assert len(bars(group, "chart-bar-members")) == expected
    root = parse(svg)
    assert all(b.get("fill") == ACCENT for b in bars(root, "chart-bar-acts"))
    assert all(b.get("fill") == SOFT for b in bars(root, "chart-bar-members"))


def test_groups_carry_their_date_and_numbers():
    groups = day_groups(parse(chart()))
    assert [g.get("data-date") for g in groups] == [
        (MONDAY + timedelta(days=i)).isoformat() for i in range(7)
    ]
    assert [int(g.get("data-acts")) for g in groups] == list(ACTS)
    assert [int(g.get("data-members")) for g in groups] == list(MEMBERS)


def test_bar_heights_are_proportional_to_the_numbers():
    acts = (4, 8, 0, 2)
    members = (2, 3, 0, 1)
    groups = day_groups(parse(chart(week(acts=acts, members=members, today_index=3))))
    acts_heights = [height(bar_of(g, "chart-bar-acts")) for g in groups]
    members_heights = [height(bar_of(g, "chart-bar-members")) for g in groups]
    assert max(acts_heights) == acts_heights[1]  # the day with most acts
    assert acts_heights[2] == 0
    assert members_heights[2] == 0
    assert acts_heights[0] == pytest.approx(acts_heights[1] / 2, abs=0.02)
    assert acts_heights[3] == pytest.approx(acts_heights[1] / 4, abs=0.02)
    # Both series share one scale: 2 members stand as tall as 2 acts.
    assert members_heights[0] == pytest.approx(acts_heights[3], abs=0.02)
    # Bars stand on one baseline.
    bottoms = {
        round(float(b.get("y")) + float(b.get("height")), 2)
        for g in groups
        for b in g.iter(f"{NS}rect")
    }
    assert len(bottoms) == 1


def test_the_scale_reaches_the_larger_series_and_labels_its_grid():
    days = week(acts=(1, 2), members=(6, 1), today_index=1)
    root = parse(chart(days))
    ticks = [int(t.text) for t in with_class(root, "text", "chart-tick")]
    assert ticks[0] == 0 and ticks == sorted(ticks)
    assert 3 <= len(ticks) <= 5
    assert ticks[-1] >= 6  # members, not acts, set the top
    lines = with_class(root, "line", "chart-grid-line")
    assert len(lines) == len(ticks) - 1  # plus the baseline at 0


def test_an_empty_week_still_has_a_scale_of_at_least_one():
    root = parse(chart(week(acts=(0, 0, 0), members=(0, 0, 0), today_index=2)))
    ticks = [t.text for t in with_class(root, "text", "chart-tick")]
    assert ticks == ["0", "1"]
    assert all(height(b) == 0 for b in bars(root, "chart-bar"))


def test_numbers_are_written_plainly():
    days = week(acts=(1, 987_654_321, 3), members=(1, 2, 3), today_index=2)
    svg = str(chart(days))
    numbers = re.findall(r'\s(?:x|y|width|height|x1|x2|y1|y2)="([^"]*)"', svg)
    assert numbers
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?", n) for n in numbers), numbers
    assert "e+" not in svg and "e-0" not in svg
    assert "987654321" in svg


def test_legend_names_both_series():
    root = parse(chart(acts_label="Acts of kindness", members_label="People who helped"))
    legend = with_class(root, "g", "chart-legend")[0]
    assert [t.text for t in legend.iter(f"{NS}text")] == ["Acts of kindness", "People who helped"]
    assert [r.get("fill") for r in legend.iter(f"{NS}rect")] == [ACCENT, SOFT]


def test_today_is_marked_and_its_label_stands_out():
    groups = day_groups(parse(chart()))
    today = [g for g in groups if "is-today" in classes(g)]
    assert len(today) == 1 and today[0].get("data-date") == "2026-11-27"
    label = today[0].find(f"{NS}text[@class='chart-label']")
    assert label.get("font-weight") == "bold" and label.get("fill") == WARM
    other = groups[0].find(f"{NS}text[@class='chart-label']")
    assert other.get("font-weight") is None and other.get("fill") != WARM


def test_future_days_are_empty_dashed_outlines():
    groups = day_groups(parse(chart()))
    assert ["is-future" in classes(g) for g in groups] == [False] * 5 + [True] * 2
    for group in groups[5:]:
        (outline,) = bars(group, "chart-future")
        assert outline.get("fill") == "none"
        assert outline.get("stroke-dasharray")
        assert not bars(group, "chart-bar")
    assert not any(bars(g, "chart-future") for g in groups[:5])


def test_a_day_to_come_that_already_has_acts_draws_them():
    # Tokyo is on Tuesday while the team's Monday is still "today": Tuesday's act
    # counts in the tally, so the chart draws it too, still marked as to come.
    days = week(acts=(2, 1, 0, 0, 0, 0, 0), members=(1, 1, 0, 0, 0, 0, 0), today_index=0)
    groups = day_groups(parse(chart(days)))
    tuesday = groups[1]
    assert "is-future" in classes(tuesday)
    assert not bars(tuesday, "chart-future")
    (acts,) = bars(tuesday, "chart-bar-acts")
    assert float(acts.get("height")) > 0
    assert all(bars(group, "chart-future") for group in groups[2:])


def test_day_titles_are_the_callers_strings_or_the_label():
    titles = [f"{n} acts" for n in ACTS]
    groups = day_groups(parse(chart(day_titles=titles)))
    assert [g.find(f"{NS}title").text for g in groups] == titles
    groups = day_groups(parse(chart()))
    assert [g.find(f"{NS}title").text for g in groups] == [f"Day {i}" for i in range(1, 8)]
    assert [g.find(f"{NS}text[@class='chart-label']").text for g in groups] == [
        f"Day {i}" for i in range(1, 8)
    ]


def test_is_accessible_and_escapes_every_text():
    svg = chart(
        week(label=HOSTILE),
        title=HOSTILE,
        description=HOSTILE,
        acts_label=HOSTILE,
        members_label=HOSTILE,
        day_titles=[HOSTILE] * 7,
        id_prefix="team-7",
    )
    assert HOSTILE not in svg
    assert HOSTILE_ESCAPED in svg
    assert_csp_safe(svg)
    root = assert_accessible_root(parse(svg), "team-7")
    assert root.find(f"{NS}title").text == HOSTILE
    assert root.find(f"{NS}desc").text == HOSTILE
    assert all(g.find(f"{NS}title").text == HOSTILE for g in day_groups(root))


def test_default_prefix_and_no_inline_style():
    svg = chart()
    root = assert_accessible_root(parse(svg), "days")
    assert_csp_safe(svg)
    assert all(node.get("style") is None for node in root.iter())


@pytest.mark.parametrize("count", [1, 2, 7, 14])
def test_works_for_one_to_fourteen_days(count):
    days = [
        ChartDay(day=MONDAY + timedelta(days=i), label=f"D{i}", acts=i % 4, active_members=i % 3)
        for i in range(count)
    ]
    root = parse(chart(days))
    groups = day_groups(root)
    assert len(groups) == count
    width = float(root.get("viewBox").split()[2])
    for group in groups:
        for bar in bars(group, "chart-bar"):
            x = float(bar.get("x"))
            assert x >= 0 and x + float(bar.get("width")) <= width


def test_groups_run_left_to_right_without_overlap():
    groups = day_groups(parse(chart()))
    xs = [float(g.find(f"{NS}text[@class='chart-label']").get("x")) for g in groups]
    assert xs == sorted(xs)
    assert min(b - a for a, b in pairwise(xs)) >= 40


@pytest.mark.parametrize(
    ("days", "kwargs"),
    [
        ([], {}),
        (week() + week() + week()[:1], {}),  # 15 days
        (week(), {"day_titles": ["only one"]}),
        (week(), {"day_titles": []}),
        (week(acts=(-1,), members=(0,), today_index=0), {}),
        (week(acts=(1,), members=(-2,), today_index=0), {}),
        (week(), {"id_prefix": "two words"}),
        (week(), {"id_prefix": '"><script>'}),
    ],
)
def test_rejects_bad_input(days, kwargs):
    with pytest.raises(ValueError):
        chart(days, **kwargs)
