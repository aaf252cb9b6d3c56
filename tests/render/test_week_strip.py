"""The week strip: seven days, filled where there were acts."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from kindness.render.week_strip import ACCENT, TODAY, StripDay, week_strip_svg
from tests.render.helpers import (
    HOSTILE,
    HOSTILE_ESCAPED,
    NS,
    WEEKDAYS,
    assert_accessible_root,
    assert_csp_safe,
    classes,
    parse,
    with_class,
)


def week(acts=(2, 0, 1, 3, 0, 0, 0), today_index=3, labels=WEEKDAYS) -> list[StripDay]:
    monday = date(2026, 11, 23)
    return [
        StripDay(
            day=monday + timedelta(days=i),
            label=labels[i],
            acts=count,
            is_today=i == today_index,
            is_future=i > today_index,
        )
        for i, count in enumerate(acts)
    ]


def strip_days(root: ElementTree.Element) -> list[ElementTree.Element]:
    return with_class(root, "g", "strip-day")


def test_strip_draws_one_group_per_day_filled_where_there_were_acts():
    svg = week_strip_svg(week(), title="Your week", summary="3 of 7 days")
    assert isinstance(svg, Markup)
    groups = strip_days(parse(svg))
    assert len(groups) == 7
    filled = ["is-filled" in classes(g) for g in groups]
    assert filled == [True, False, True, True, False, False, False]
    for group, is_filled in zip(groups, filled, strict=True):
        (cell,) = with_class(group, "rect", "strip-cell")
        assert (cell.get("fill") == ACCENT) is is_filled
    assert groups[0].get("data-date") == "2026-11-23"
    assert [g.find(f"{NS}text[@class='strip-date']").text for g in groups] == [
        str(d) for d in range(23, 30)
    ]


def test_strip_marks_today_and_draws_future_days_apart():
    groups = strip_days(parse(week_strip_svg(week(), title="t", summary="s")))
    today = [g for g in groups if "is-today" in classes(g)]
    assert len(today) == 1 and today[0].get("data-date") == "2026-11-26"
    ring = today[0].find(f"{NS}rect[@class='strip-today']")
    assert ring.get("stroke") == TODAY and ring.get("fill") == "none"
    assert ["is-future" in classes(g) for g in groups] == [False] * 4 + [True] * 3
    assert ["is-empty" in classes(g) for g in groups] == [False, True] + [False] * 5
    future_cell = groups[5].find(f"{NS}rect[@class='strip-cell']")
    assert future_cell.get("stroke-dasharray")


def test_strip_shows_the_summary_and_uses_it_as_the_description():
    root = parse(week_strip_svg(week(), title="Your week", summary="3 of 7 days"))
    assert_accessible_root(root, "week")
    assert root.find(f"{NS}title").text == "Your week"
    assert root.find(f"{NS}desc").text == "3 of 7 days"
    summary = root.find(f"{NS}text[@class='strip-summary']")
    assert summary.text == "3 of 7 days"


def test_strip_day_titles_are_the_callers_strings_or_the_label():
    titles = [f"day {i}" for i in range(7)]
    groups = strip_days(parse(week_strip_svg(week(), title="t", summary="s", day_titles=titles)))
    assert [g.find(f"{NS}title").text for g in groups] == titles
    groups = strip_days(parse(week_strip_svg(week(), title="t", summary="s")))
    assert [g.find(f"{NS}title").text for g in groups] == WEEKDAYS


def test_strip_escapes_every_text():
    labels = [HOSTILE] * 7
    svg = week_strip_svg(
        week(labels=labels),
        title=HOSTILE,
        summary=HOSTILE,
        day_titles=[HOSTILE] * 7,
        id_prefix="strip-1",
    )
    assert HOSTILE not in svg
    assert HOSTILE_ESCAPED in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == HOSTILE
    assert all(g.find(f"{NS}text[@class='strip-label']").text == HOSTILE for g in strip_days(root))
    assert_csp_safe(svg)


def test_strip_ids_follow_the_prefix_so_two_pictures_do_not_clash():
    one = parse(week_strip_svg(week(), title="t", summary="s", id_prefix="mine"))
    other = parse(week_strip_svg(week(), title="t", summary="s", id_prefix="theirs"))
    assert_accessible_root(one, "mine")
    assert_accessible_root(other, "theirs")


@pytest.mark.parametrize("count", [1, 3, 7])
def test_strip_works_for_one_to_seven_days(count):
    days = week()[:count]
    root = parse(week_strip_svg(days, title="t", summary="s"))
    assert len(strip_days(root)) == count


def test_a_one_day_strip_is_wide_enough_for_its_summary():
    root = parse(week_strip_svg(week()[:1], title="t", summary="1 of 1 day, well done"))
    width = float(root.get("viewBox").split()[2])
    assert width > 40 + 2 * 6
    cell = root.find(f".//{NS}rect[@class='strip-cell']")
    assert float(cell.get("x")) * 2 + 40 == pytest.approx(width, abs=1)  # centred


@pytest.mark.parametrize(
    ("days", "kwargs"),
    [
        ([], {}),
        (week() + week()[:1], {}),
        (week(), {"day_titles": ["only one"]}),
        (week(), {"id_prefix": "two words"}),
        (week(), {"id_prefix": '"><script>'}),
    ],
)
def test_strip_rejects_bad_input(days, kwargs):
    with pytest.raises(ValueError):
        week_strip_svg(days, title="t", summary="s", **kwargs)
