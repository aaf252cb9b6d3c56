"""The heatmap: a year of days, Monday-first columns, five levels."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from markupsafe import Markup

from kindness.render.heatmap import LEVEL_COLOURS, heatmap_svg, level
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

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
THURSDAY = date(2026, 11, 26)


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
    return with_class(root, "rect", "heat-cell")


def texts(root: ElementTree.Element, css: str) -> list[ElementTree.Element]:
    return with_class(root, "text", css)


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
    legend = with_class(root, "rect", "heat-legend-cell")
    assert [r.get("fill") for r in legend] == list(LEVEL_COLOURS)
    assert texts(root, "heat-legend-less")[0].text == "Less"
    assert texts(root, "heat-legend-more")[0].text == "More"


def test_heatmap_is_accessible_and_escapes_every_text():
    svg = heatmap(
        {THURSDAY: 1},
        title=HOSTILE,
        description=HOSTILE,
        month_labels=[HOSTILE] * 12,
        weekday_labels=[HOSTILE] * 7,
        legend_less=HOSTILE,
        legend_more=HOSTILE,
        cell_title=lambda day, count: HOSTILE,
        id_prefix="year-2026",
    )
    assert HOSTILE not in svg
    assert HOSTILE_ESCAPED in svg
    root = parse(svg)
    assert_accessible_root(root, "year-2026")
    assert root.find(f"{NS}desc").text == HOSTILE
    assert all(c.find(f"{NS}title").text == HOSTILE for c in cells(root))
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
