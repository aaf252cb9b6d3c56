"""The replay of a chain: a slider that shows the picture week by week, under the
strict CSP, ending on the whole chain."""

from datetime import date

import pytest

from tests.factories import claim, make_act, make_user

pytestmark = pytest.mark.browser


def visible(person) -> list[str]:
    """The keys of the boxes drawn and not hidden by the replay."""
    return person.page.eval_on_selector_all(
        ".chain-picture svg [data-key]",
        "boxes => boxes.filter(box => getComputedStyle(box).visibility !== 'hidden')"
        ".map(box => box.getAttribute('data-key'))",
    )


def hidden_edges(person) -> int:
    return person.page.eval_on_selector_all(
        ".chain-picture svg path.chain-edge",
        "edges => edges.filter(edge => getComputedStyle(edge).visibility === 'hidden').length",
    )


def test_the_replay_slider_runs_from_the_first_week_to_the_whole_chain(people, live_server):
    sessionmaker = live_server.app.extensions["kindness.db"].sessionmaker
    with sessionmaker() as session:
        ada, ben, cy = (make_user(session) for _ in range(3))
        root = make_act(session, ada, date(2026, 11, 4), what="Replay root")
        claim(session, root, ben)
        first = make_act(
            session, ben, date(2026, 11, 11), what="Replay one", visibility="public", parent=root
        )
        second = make_act(session, ben, date(2026, 11, 12), what="Replay two", parent=root)
        claim(session, first, cy)
        leaf = make_act(
            session, cy, date(2026, 11, 16), what="Replay leaf", visibility="public", parent=first
        )
        refs = [act.ref for act in (root, first, second, leaf)]

    visitor = people("visitor")
    visitor.goto(f"/chains/{refs[0]}")
    slider = visitor.page.locator("#chain-replay")
    assert slider.is_visible()  # shown by the script, which ran under the CSP
    assert (slider.get_attribute("min"), slider.get_attribute("max")) == ("0", "2")
    # The page opens on the whole chain.
    assert slider.input_value() == "2"
    assert sorted(visible(visitor)) == sorted(refs)
    assert hidden_edges(visitor) == 0

    slider.fill("0")
    assert visible(visitor) == [refs[0]]
    assert hidden_edges(visitor) == 3
    assert visitor.page.locator("#chain-replay-week").text_content() == "Week of Nov 2, 2026"

    slider.focus()
    visitor.page.keyboard.press("ArrowRight")
    assert sorted(visible(visitor)) == sorted(refs[:3])
    assert hidden_edges(visitor) == 1

    slider.fill("2")
    assert sorted(visible(visitor)) == sorted(refs)
    assert hidden_edges(visitor) == 0
    assert slider.get_attribute("aria-valuetext") == "Week of Nov 16, 2026"
    visitor.seen()
