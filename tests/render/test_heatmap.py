"""SVG pictures: the week strip and the heatmap, as plain functions."""

import re
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from kindness.render.heatmap import LEVEL_COLOURS, heatmap_svg, level
from kindness.render.svg import SVG_NS, attrs, element
from kindness.render.week_strip import ACCENT, TODAY, StripDay, week_strip_svg

NS = f"{{{SVG_NS}}}"
NASTY = '<b>&"'
NASTY_ESCAPED = "&lt;b&gt;&amp;&#34;"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
THURSDAY = date(2026, 11, 26)


def parse(svg: Markup) -> ElementTree.Element:
    root = ElementTree.fromstring(str(svg))  # noqa: S314 - our own output, not untrusted input
    assert root.tag == f"{NS}svg"
    return root


def classes(node: ElementTree.Element) -> set[str]:
    return set(node.get("class", "").split())


def assert_csp_safe(svg: Markup) -> None:
    text = str(svg).lower()
    assert "style" not in text
    assert "<script" not in text
    assert not re.search(r"\son\w+=", text)  # no event handler attributes


def assert_accessible_root(root: ElementTree.Element, prefix: str) -> None:
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    assert root.find(f"{NS}title").get("id") == f"{prefix}-title"
    assert root.find(f"{NS}desc").get("id") == f"{prefix}-desc"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("preserveAspectRatio") == "xMidYMid meet"
    assert root.get("width") is None and root.get("height") is None


# --- helpers --------------------------------------------------------------------


def test_attrs_escape_values_and_hyphenate_names():
    assert attrs(class_="a b", data_date="x", skipped=None) == ' class="a b" data-date="x"'
    assert attrs(viewBox="0 0 1 1") == ' viewBox="0 0 1 1"'
    assert attrs(title=NASTY) == f' title="{NASTY_ESCAPED}"'


def test_element_escapes_text_but_keeps_markup_children():
    inner = element("tspan", NASTY)
    assert element("text", inner, NASTY) == (
        f"<text><tspan>{NASTY_ESCAPED}</tspan>{NASTY_ESCAPED}</text>"
    )
    assert element("rect", x=1) == '<rect x="1"/>'
    assert isinstance(element("g"), Markup)


# --- week strip -------------------------------------------------------------------


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
    return [g for g in root.iter(f"{NS}g") if "strip-day" in classes(g)]


def test_strip_draws_one_group_per_day_filled_where_there_were_acts():
    svg = week_strip_svg(week(), title="Your week", summary="3 of 7 days")
    assert isinstance(svg, Markup)
    groups = strip_days(parse(svg))
    assert len(groups) == 7
    filled = ["is-filled" in classes(g) for g in groups]
    assert filled == [True, False, True, True, False, False, False]
    for group, is_filled in zip(groups, filled, strict=True):
        cell = next(r for r in group.iter(f"{NS}rect") if "strip-cell" in classes(r))
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
    labels = [NASTY] * 7
    svg = week_strip_svg(
        week(labels=labels),
        title=NASTY,
        summary=NASTY,
        day_titles=[NASTY] * 7,
        id_prefix="strip-1",
    )
    assert NASTY not in svg
    assert NASTY_ESCAPED in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == NASTY
    assert all(g.find(f"{NS}text[@class='strip-label']").text == NASTY for g in strip_days(root))
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


# --- heatmap ------------------------------------------------------------------------


def heatmap(counts=None, **overrides) -> Markup:
    kwargs = {
        "end": THURSDAY,
        "weeks": 52,
        "title": "A year of kindness",
        "description": "12 acts in the last year",
        "month_labels": MONTHS,
        "weekday_labels": WEEKDAYS,
        "legend_less": "Less",
        "legend_more": "More",
        "cell_title": lambda day, count: f"{count} on {day.isoformat()}",
    }
    kwargs.update(overrides)
    return heatmap_svg(counts or {}, **kwargs)


def cells(root: ElementTree.Element) -> list[ElementTree.Element]:
    return [r for r in root.iter(f"{NS}rect") if "heat-cell" in classes(r)]


def texts(root: ElementTree.Element, css: str) -> list[ElementTree.Element]:
    return [t for t in root.iter(f"{NS}text") if css in classes(t)]


def test_heatmap_draws_whole_weeks_up_to_end_and_no_further():
    root = parse(heatmap())
    drawn = cells(root)
    # Monday-first columns; the last one holds Thursday 26 November 2026 (Mon-Thu,
    # 4 cells) and the 51 before it are whole: 51 * 7 + 4 = 361.
    assert len(drawn) == 51 * 7 + 4 == 361
    dates = [date.fromisoformat(c.get("data-date")) for c in drawn]
    assert dates[0] == date(2025, 12, 1) and dates[0].weekday() == 0
    assert dates[-1] == THURSDAY
    assert dates == [dates[0] + timedelta(days=i) for i in range(361)]
    assert all(day <= THURSDAY for day in dates)


@pytest.mark.parametrize(
    ("end", "weeks", "expected"),
    [
        (date(2026, 11, 29), 52, 52 * 7),  # a Sunday closes its column
        (date(2026, 11, 23), 52, 51 * 7 + 1),  # a Monday opens one
        (date(2026, 11, 26), 1, 4),
    ],
)
def test_heatmap_cell_count_follows_the_weekday_of_end(end, weeks, expected):
    assert len(cells(parse(heatmap(end=end, weeks=weeks)))) == expected


def test_heatmap_rows_are_weekdays_and_columns_are_weeks():
    drawn = cells(parse(heatmap()))
    by_date = {date.fromisoformat(c.get("data-date")): c for c in drawn}
    ys = {day.weekday(): float(c.get("y")) for day, c in by_date.items()}
    assert [ys[w] for w in range(7)] == sorted(ys.values())
    for day, cell in by_date.items():
        assert float(cell.get("y")) == ys[day.weekday()]
    monday, thursday = by_date[date(2026, 11, 23)], by_date[THURSDAY]
    assert monday.get("x") == thursday.get("x")
    assert float(by_date[date(2026, 11, 16)].get("x")) < float(monday.get("x"))


@pytest.mark.parametrize(
    ("count", "expected_level"), [(0, 0), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (40, 4)]
)
def test_heatmap_levels(count, expected_level):
    assert level(count) == expected_level
    day = THURSDAY - timedelta(days=10)
    cell = next(c for c in cells(parse(heatmap({day: count}))) if c.get("data-date") == str(day))
    assert cell.get("data-count") == str(count)
    assert f"level-{expected_level}" in classes(cell)
    assert cell.get("fill") == LEVEL_COLOURS[expected_level]


def test_heatmap_counts_land_on_their_days_and_missing_days_count_zero():
    counts = {date(2026, 1, 1): 3, THURSDAY: 1, date(2025, 12, 1): 7}
    drawn = cells(parse(heatmap(counts)))
    seen = {c.get("data-date"): int(c.get("data-count")) for c in drawn}
    assert {d: n for d, n in seen.items() if n} == {d.isoformat(): n for d, n in counts.items()}
    assert sum(1 for c in drawn if "level-0" in classes(c)) == 361 - 3


def test_heatmap_cells_carry_the_callers_titles():
    drawn = cells(parse(heatmap({THURSDAY: 2})))
    assert drawn[-1].find(f"{NS}title").text == "2 on 2026-11-26"
    assert drawn[0].find(f"{NS}title").text == "0 on 2025-12-01"


def test_heatmap_labels_months_over_their_first_column_and_three_weekdays():
    root = parse(heatmap())
    drawn = {c.get("data-date"): c for c in cells(root)}
    months = {t.text: float(t.get("x")) for t in texts(root, "heat-month")}
    # Column 0 starts on 1 December 2025, so every month gets a label.
    assert set(months) == set(MONTHS)
    assert months["Jan"] == float(drawn["2026-01-01"].get("x"))
    assert months["Mar"] == float(drawn["2026-03-01"].get("x"))
    assert list(months.values()) == sorted(months.values())
    assert [t.text for t in texts(root, "heat-weekday")] == ["Mon", "Wed", "Fri"]


def test_heatmap_leaves_out_a_crowded_first_month_label():
    # Column 0 starts on Monday 26 January 2026 and ends on 1 February.
    root = parse(heatmap(end=date(2027, 1, 21)))
    labels = [t.text for t in texts(root, "heat-month")]
    assert labels[0] == "Feb"
    assert "Jan" in labels[1:]  # January 2027, at the end


def test_heatmap_has_a_legend_from_less_to_more():
    root = parse(heatmap())
    legend = [r for r in root.iter(f"{NS}rect") if "heat-legend-cell" in classes(r)]
    assert [r.get("fill") for r in legend] == list(LEVEL_COLOURS)
    assert texts(root, "heat-legend-less")[0].text == "Less"
    assert texts(root, "heat-legend-more")[0].text == "More"


def test_heatmap_is_accessible_and_escapes_every_text():
    svg = heatmap(
        {THURSDAY: 1},
        title=NASTY,
        description=NASTY,
        month_labels=[NASTY] * 12,
        weekday_labels=[NASTY] * 7,
        legend_less=NASTY,
        legend_more=NASTY,
        cell_title=lambda day, count: NASTY,
        id_prefix="year-2026",
    )
    assert NASTY not in svg
    assert NASTY_ESCAPED in svg
    root = parse(svg)
    assert_accessible_root(root, "year-2026")
    assert root.find(f"{NS}desc").text == NASTY
    assert all(c.find(f"{NS}title").text == NASTY for c in cells(root))
    assert_csp_safe(svg)


def test_heatmap_default_prefix_and_no_inline_style():
    svg = heatmap()
    assert_accessible_root(parse(svg), "heatmap")
    assert_csp_safe(svg)


@pytest.mark.parametrize(
    "overrides",
    [
        {"weeks": 0},
        {"month_labels": MONTHS[:11]},
        {"weekday_labels": WEEKDAYS[:3]},
        {"id_prefix": "1st"},
    ],
)
def test_heatmap_rejects_bad_input(overrides):
    with pytest.raises(ValueError):
        heatmap(**overrides)
