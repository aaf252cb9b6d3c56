"""The pictures' words, looked up once per picture (``web/formats.py``), read
exactly as Flask-Babel's per-call ``format_date``, ``gettext`` and ``ngettext``
would write them, in English and German."""

from datetime import date, timedelta
from types import SimpleNamespace

import flask_babel
import pytest
from flask import url_for

from kindness import create_app
from kindness.domain.chains.growth import Growth
from kindness.domain.chains.masking import MaskedAct
from kindness.domain.challenges import Progress
from kindness.domain.teams.weeks import WeekSummary
from kindness.web import chain_pictures, growth_pictures, pictures, team_pictures
from kindness.web.formats import Words, day_format
from tests.conftest import TEST_CONFIG
from tests.render.helpers import NS, parse, with_class

TODAY = date(2026, 3, 5)  # a Thursday
LANGUAGES = ("en", "de")


@pytest.fixture(scope="module")
def app():
    # Words and dates only: no database is opened.
    return create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})


@pytest.fixture(params=LANGUAGES)
def speaking(app, request):
    """A request in English, then in German."""
    with app.test_request_context("/", headers={"Accept-Language": request.param}):
        assert str(flask_babel.get_locale()) == request.param
        yield request.param


def every_day(start: date, days: int) -> list[date]:
    return [start + timedelta(days=number) for number in range(days)]


@pytest.mark.parametrize("style", ["short", "medium", "long", "full"])
def test_day_format_writes_every_day_as_format_date(speaking, style):
    formatted = day_format(style)
    days = [*every_day(date(2024, 1, 1), 366), date(999, 12, 31), date(2009, 2, 1)]
    assert [formatted(day) for day in days] == [flask_babel.format_date(day, style) for day in days]


def test_day_format_speaks_each_language(app):
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        assert day_format("medium")(TODAY) == "05.03.2026"
        assert day_format("full")(TODAY) == "Donnerstag, 5. März 2026"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert day_format("medium")(TODAY) == "Mar 5, 2026"
        assert day_format("full")(TODAY) == "Thursday, March 5, 2026"


@pytest.mark.parametrize("count", [0, 1, 2, 21, 1000])
def test_words_read_as_flask_babel(speaking, count):
    words = Words()
    assert words.ngettext("%(num)d act", "%(num)d acts", count) == flask_babel.ngettext(
        "%(num)d act", "%(num)d acts", count
    )
    assert words.gettext("%(done)d of %(total)d days", done=count, total=7) == (
        flask_babel.gettext("%(done)d of %(total)d days", done=count, total=7)
    )
    assert words.gettext("Week of %(day)s") == flask_babel.gettext("Week of %(day)s")
    assert words.pgettext("chain line", "someone") == flask_babel.pgettext("chain line", "someone")


def cell_titles(svg) -> dict[str, str]:
    root = parse(svg)
    return {
        cell.get("data-date"): cell.find(f"{NS}title").text
        for cell in with_class(root, "rect", "heat-cell")
    }


def test_heatmap_day_titles_as_format_date_and_ngettext(speaking):
    counts = {TODAY: 1, TODAY - timedelta(days=40): 2, date(2025, 12, 31): 7}
    titles = cell_titles(pictures.year_heatmap(counts, TODAY))
    assert len(titles) == 51 * 7 + TODAY.weekday() + 1
    for day in [*counts, date(2025, 3, 10), date(2026, 1, 1), TODAY - timedelta(days=1)]:
        count = counts.get(day, 0)
        expected = (
            f"{flask_babel.format_date(day, 'medium')}: "
            f"{flask_babel.ngettext('%(num)d act', '%(num)d acts', count)}"
        )
        assert titles[day.isoformat()] == expected


def test_heatmap_day_titles_read_naturally(app):
    counts = {TODAY: 1, date(2025, 12, 31): 7}
    with app.test_request_context("/", headers={"Accept-Language": "de"}):
        titles = cell_titles(pictures.year_heatmap(counts, TODAY))
        assert titles["2026-03-05"] == "05.03.2026: 1 Tat"
        assert titles["2025-12-31"] == "31.12.2025: 7 Taten"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        titles = cell_titles(pictures.year_heatmap(counts, TODAY))
        assert titles["2026-03-05"] == "Mar 5, 2026: 1 act"
        assert titles["2026-03-04"] == "Mar 4, 2026: 0 acts"


def test_week_strip_day_titles_as_format_date(speaking):
    days = every_day(TODAY - timedelta(days=3), 7)
    progress = Progress(
        days=days, acts_per_day={days[0]: 1, days[1]: 3}, tally=SimpleNamespace(days_with_act=2)
    )
    groups = with_class(parse(pictures.week_strip(progress, TODAY)), "g", "strip-day")
    assert [group.find(f"{NS}title").text for group in groups] == [
        f"{flask_babel.format_date(day, 'full')}: "
        f"{flask_babel.ngettext('%(num)d act', '%(num)d acts', progress.acts_per_day.get(day, 0))}"
        for day in days
    ]


def test_team_chart_day_titles_as_flask_babel(speaking):
    days = every_day(date(2026, 3, 2), 7)
    summary = WeekSummary(
        week=SimpleNamespace(id=7, starts_on=days[0]),
        acts_per_day={days[0]: 1, days[2]: 4},
        members_per_day={days[0]: 1, days[2]: 2},
    )
    groups = with_class(parse(team_pictures.week_chart(summary, TODAY)), "g", "chart-day")
    assert [group.find(f"{NS}title").text for group in groups] == [
        flask_babel.gettext(
            "%(day)s: %(acts)s, %(members)s",
            day=flask_babel.format_date(day, "full"),
            acts=flask_babel.ngettext(
                "%(num)d act", "%(num)d acts", summary.acts_per_day.get(day, 0)
            ),
            members=flask_babel.ngettext(
                "%(num)d member active",
                "%(num)d members active",
                summary.members_per_day.get(day, 0),
            ),
        )
        for day in days
    ]


def test_growth_labels_as_flask_babel(speaking):
    weeks = tuple((date(2026, 1, 5) + timedelta(weeks=number), number % 3) for number in range(9))
    growth = Growth(
        acts=9, reach=5, generations=3, widest_generation=4, branches=1, passed_on=3, weeks=weeks
    )

    def label(week):
        return flask_babel.gettext("Week of %(day)s", day=flask_babel.format_date(week, "medium"))

    bars = with_class(parse(growth_pictures.chart(growth)), "rect", "growth-bar")
    assert [bar.find(f"{NS}title").text for bar in bars] == [
        flask_babel.ngettext(
            "%(week)s: %(num)d act", "%(week)s: %(num)d acts", acts, week=label(week)
        )
        for week, acts in weeks
    ]
    assert growth_pictures.week_label(weeks[0][0]) == label(weeks[0][0])
    view = SimpleNamespace(nodes=[])
    assert growth_pictures.replay(growth, view, {})["weeks"] == [label(week) for week, _ in weeks]


def test_chain_line_as_flask_babel(speaking):
    node = MaskedAct(
        id=1, ref="abc", parent_id=None, depth=0, visible=True, is_own=False, what="Soup",
        performed_on=date(2025, 11, 3), author_name="Ada", recipient_name=None,
    )  # fmt: skip
    someone = flask_babel.pgettext("chain line", "someone")
    assert chain_pictures.describe(node) == flask_babel.gettext(
        "%(author)s → %(recipient)s · %(day)s",
        author="Ada",
        recipient=someone,
        day=flask_babel.format_date(node.performed_on, "medium"),
    )


@pytest.mark.parametrize("ref", ["rztPt_89mSP_", "a-b_C9", "odd/ref", "with space", "ü%"])
def test_chain_links_read_as_url_for(app, ref):
    with app.test_request_context("/"):
        words = chain_pictures.ChainWords()
        assert words.chain_url(ref) == url_for("chains.page", ref=ref)
