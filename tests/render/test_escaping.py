"""Every text a caller hands a picture, in every place it can stand, comes out
escaped: the markup holds no raw ``<&"'>`` of it, and reading the SVG back gives
the text exactly as it went in. One marker per place, so a place that forgot to
escape (or escaped twice) is named."""

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest

from kindness.render.chain import ChainNode, chain_svg
from kindness.render.chain_thumb import chain_thumb_svg
from kindness.render.day_chart import ChartDay, day_chart_svg
from kindness.render.growth_chart import ChartWeek, growth_chart_svg
from kindness.render.heatmap import heatmap_svg
from kindness.render.pass_card import pass_card_svg
from kindness.render.ripple import ripple_svg
from kindness.render.share_card import share_card_svg
from kindness.render.week_strip import StripDay, week_strip_svg
from tests.render.helpers import assert_csp_safe, parse

RAW = "<&\"'>"
MONDAY = date(2026, 3, 2)


def mark(place: str) -> str:
    # No spaces: the cards wrap their text between words, and a marker must stay whole.
    return f"{place}{RAW}"


def read_back(root: ElementTree.Element) -> str:
    """Every text, tail and attribute value of the parsed picture, one per line."""
    found = []
    for node in root.iter():
        found += [node.text or "", node.tail or "", *node.attrib.values()]
    return "\n".join(found)


def heatmap():
    places = ["title", "desc", "less", "more", "cell", "jan", "mar", "mon", "wed", "fri"]
    months = [mark("jan"), "Feb", mark("mar"), *["M"] * 9]
    weekdays = [mark("mon"), "Tue", mark("wed"), "Thu", mark("fri"), "Sat", "Sun"]
    svg = heatmap_svg(
        {MONDAY: 3}, end=date(2026, 3, 31), weeks=14, title=mark("title"),
        description=mark("desc"), month_labels=months, weekday_labels=weekdays,
        legend_less=mark("less"), legend_more=mark("more"),
        cell_title=lambda day, count: mark("cell"),
    )  # fmt: skip
    return svg, places


def week_strip():
    days = [
        StripDay(MONDAY + timedelta(days=n), mark("label"), n % 2, n == 2, n > 2) for n in range(7)
    ]
    svg = week_strip_svg(
        days, title=mark("title"), summary=mark("summary"), day_titles=[mark("tooltip")] * 7
    )
    return svg, ["title", "summary", "label", "tooltip"]


def day_chart():
    days = [
        ChartDay(MONDAY + timedelta(days=n), mark("label"), n, n // 2, n == 3, n > 3)
        for n in range(7)
    ]
    svg = day_chart_svg(
        days, title=mark("title"), description=mark("desc"), acts_label=mark("acts"),
        members_label=mark("members"), day_titles=[mark("tooltip")] * 7,
    )  # fmt: skip
    return svg, ["title", "desc", "acts", "members", "label", "tooltip"]


def growth_chart():
    weeks = [ChartWeek(MONDAY + timedelta(weeks=n), n, mark("bar")) for n in range(5)]
    svg = growth_chart_svg(
        weeks, title=mark("title"), description=mark("desc"), first_label=mark("first"),
        last_label=mark("last"),
    )  # fmt: skip
    return svg, ["title", "desc", "bar", "first", "last"]


def chain():
    nodes = [
        ChainNode(mark("key"), None, "act", mark("label"), mark("names"), mark("day"),
                  href="/chains/a?x=" + mark("href")),
        ChainNode("two", mark("key"), "act", mark("other"), title=mark("tooltip")),
        ChainNode("three", mark("key"), "collapsed", mark("more"), href="/chains/b"),
        ChainNode("four", "two", "placeholder", "", title=mark("hidden")),
    ]  # fmt: skip
    svg = chain_svg(nodes, title=mark("title"), description=mark("desc"))
    places = ["title", "desc", "key", "label", "names", "day", "href", "other", "tooltip"]
    return svg, [*places, "more", "hidden"]


def chain_thumb():
    svg = chain_thumb_svg(
        [None, 0], [True, False], title=mark("title"), description=mark("desc"), id_prefix="t"
    )
    return svg, ["title", "desc"]


def ripple():
    return ripple_svg([3, 12], title=mark("title"), description=mark("desc"), id_prefix="r"), [
        "title",
        "desc",
    ]


def share_card():
    svg = share_card_svg(headline=mark("headline"), figures=mark("figures"), brand=mark("brand"))
    return svg, ["headline", "figures", "brand"]


def pass_card():
    svg = pass_card_svg(
        brand=mark("brand"), headline=mark("headline"), invitation=mark("invitation"),
        url="https://kind.example/p/" + mark("url"), qr_modules=[[True, False], [False, True]],
        quote=mark("quote"),
    )  # fmt: skip
    return svg, ["brand", "headline", "invitation", "url", "quote"]


PICTURES = [
    heatmap, week_strip, day_chart, growth_chart, chain, chain_thumb, ripple, share_card,
    pass_card,
]  # fmt: skip


@pytest.mark.parametrize("picture", PICTURES, ids=lambda picture: picture.__name__)
def test_every_caller_text_is_escaped_once_wherever_it_stands(picture):
    svg, places = picture()
    markup = str(svg)
    assert RAW not in markup
    assert "&amp;amp;" not in markup  # nothing escaped twice
    assert_csp_safe(svg)
    text = read_back(parse(svg))
    missing = [place for place in places if mark(place) not in text]
    assert missing == []
