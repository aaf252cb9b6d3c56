"""Explore's text search by the full-text index: the same acts found on SQLite
and PostgreSQL, only public and shown ones, odd queries read as plain words,
and the index kept in step with every change of an act."""

import pytest
from sqlalchemy import select

from kindness.domain import acts, explore, moderation, search
from kindness.domain.acts import ActInput
from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.models import Act
from tests.clock import TODAY
from tests.factories import claim, make_act, make_tree, make_user

pytestmark = pytest.mark.usefixtures("clock")

CORPUS = [
    "Carried Frau Müller's shopping up to the fourth floor",
    "Half den Nachbarn beim Umzug in der Schloßstraße",
    "Made crème brûlée for the whole team",
    "Gave my umbrella to a stranger at the bus stop",
    "Brought an UMBRELLA back to the lost-and-found",
    "Repaired the neighbour's bicycle",
    "Reparierte das Fahrrad meiner Nachbarin",
    "Bought coffee for the café staff",
    "Kaffee für die Kollegin gekocht",
    "Read a story to the children at the Bücherei",
    "Habe Äpfel aus dem Garten verschenkt",
    "Shared apples from the garden",
    "Shovelled snow for the elderly couple next door",
    "Schnee geschippt für das ältere Ehepaar nebenan",
    "Wrote a thank-you note to the bus driver",
    "Schrieb dem Busfahrer eine Dankeskarte",
    "Helped a tourist find the Straße des 17. Juni",
    "Answered questions at help@example.org for free",
    "Taught a friend to knit: scarves & mittens!",
    "Ærøskøbing ferry: helped a family with their bags",
    "Łódź visitors got directions from me",
    "Fixed the WiFi router for Mrs. O'Brien",
    "Cooked soup (lentils) for a sick friend",
    "Gekochte Suppe für einen kranken Freund",
    "Gave blood at the Red Cross",
    "Spendete Blut beim Roten Kreuz",
    "Watered the plants while the Öztürks were away",
    "Coached the under-12 football team",
    "Carried a stroller up the stairs at the U-Bahn",
    "Paid for the next person's coffee ☕ at Naïve Bakery",
]

# query: the numbers (in CORPUS) of the acts it finds, the same on both databases.
EXPECTED = {
    "umbrella": {4, 5},
    "MÜLLER": {1},
    "muller": {1},
    "straße": {17},
    "STRASSE": {17},
    "schloß": {2},
    "schlossstrasse": {2},
    "creme brulee": {3},
    "Crème": {3},
    "café": {8},
    "cafe": {8},
    "coffee": {8, 30},
    "kaffee": {9},
    "garden apples": {12},
    "Äpfel": {11},
    "apfel": {11},
    "Ærøskøbing": {20},
    "aeroskobing": {20},
    "lodz": {21},
    "example": {18},
    "help": {17, 18, 20},
    "o'brien": {22},
    "u-bahn": {29},
    "under-12": {28},
    "17": {17},
    "öztürk": {27},
    "naive": {30},
    "bus": {4, 15, 16},
    "the bus": {4, 15},
    "nachbar": {2, 7},
    "suppe": {24},
    "soup": {23},
    "gekoch": {9, 24},
    # Every word must occur; OR is a word like any other.
    "blut OR blood": set(),
    # No stemming: "repair" is the start of "repaired" (type-ahead), "apple" is not "apples"
    # when another word follows it.
    "repair": {6},
    "apple garden": set(),
    "kr": set(),
    "zebra": set(),
}


def _found(session, query: str) -> set[int]:
    parsed = search.parse(query)
    assert parsed is not None, query
    whats = session.scalars(
        select(Act.what).where(PUBLIC_AND_SHOWN, search.matching(session, parsed))
    ).all()
    return {CORPUS.index(what) + 1 for what in whats}


def test_the_corpus_gives_the_same_acts_on_both_databases(session, database):
    ada = make_user(session)
    for what in CORPUS:
        make_act(session, ada, TODAY, what=what, visibility="public")
    found = {query: _found(session, query) for query in EXPECTED}
    assert found == EXPECTED, database.backend


def test_only_public_shown_acts_are_found(session):
    ada, ben, mod = make_user(session), make_user(session), make_user(session)
    public = make_act(session, ada, TODAY, what="Quokka public act", visibility="public")
    make_act(session, ada, TODAY, what="Quokka private act", visibility="private")
    make_act(session, ada, TODAY, what="Quokka team act", visibility="team")
    hidden = make_act(session, ada, TODAY, what="Quokka hidden act", visibility="public")
    moderation.hide(session, mod, hidden.id)
    claim(session, public, ben)
    forward = make_act(session, ben, TODAY, what="Quokka removed act", visibility="public",
                       parent=public)  # fmt: skip
    claim(session, forward, ada)
    make_act(session, ada, TODAY, what="Quokka below it", parent=forward)  # keeps a placeholder
    acts.delete(session, ben, forward.id)
    session.commit()
    assert session.get(Act, forward.id).removed_at is not None
    # Not even the search alone (without the listing's own condition) finds them.
    condition = search.matching(session, search.parse("quokka"))
    assert session.scalars(select(Act.what).where(condition)).all() == ["Quokka public act"]
    listing = explore.listing(session, query="quokka")
    assert [row.root_id for row in listing.chains] == [public.root_id]
    assert listing.texts == {public.root_id: "Quokka public act"}


def test_editing_hiding_and_deleting_update_the_index(session):
    ada, mod = make_user(session), make_user(session)
    act = make_act(session, ada, TODAY, what="Painted the garden fence", visibility="public")
    assert _words_found(session, "fence") == ["Painted the garden fence"]

    edited = ActInput(what="Painted the garden gate", performed_on=TODAY, visibility="public")
    acts.update(session, ada, act.id, edited, TODAY)
    session.commit()
    assert _words_found(session, "fence") == []
    assert _words_found(session, "gate") == ["Painted the garden gate"]

    private = ActInput(what="Painted the garden gate", performed_on=TODAY)
    acts.update(session, ada, act.id, private, TODAY)
    session.commit()
    assert _words_found(session, "gate") == []
    acts.update(session, ada, act.id, edited, TODAY)
    session.commit()
    assert _words_found(session, "gate") == ["Painted the garden gate"]

    moderation.hide(session, mod, act.id)
    session.commit()
    assert _words_found(session, "gate") == []
    moderation.restore(session, mod, act.id)
    session.commit()
    assert _words_found(session, "gate") == ["Painted the garden gate"]

    acts.delete(session, ada, act.id)
    session.commit()
    assert session.get(Act, act.id) is None
    assert _words_found(session, "gate") == []


def _words_found(session, query: str) -> list[str]:
    condition = search.matching(session, search.parse(query))
    return list(session.scalars(select(Act.what).where(condition)).all())


ODD = {
    # query: the acts found (numbers in the small corpus below), or None: no words,
    # the normal listing.
    '"': None,
    '"umbrella': {1, 2},
    'umbrella"': {1, 2},
    "umbrella*": {1, 2},
    "*": None,
    "*umbrella*": {1, 2},
    "NEAR(umbrella bus)": set(),
    "NEAR umbrella": set(),
    "umbrella AND bus": set(),
    "umbrella bus": {1},
    "-umbrella": {1, 2},
    "umbrella NOT bus": set(),
    "(umbrella": {1, 2},
    "umbrella))": {1, 2},
    "((": None,
    "🎂": None,
    "🎂umbrella🎂": {1, 2},
    "☕ coffee": {3},
    "!!!???...": None,
    "' OR 1=1 --": {3},
    "umbrella:* & !bus | x": set(),
    "umbrella:* & !bus": {1},
    "\\umbrella\\": {1, 2},
    "%_": None,
    "\x00umbrella": {1, 2},
    "^umbrella$": {1, 2},
    "umbrella " * 1200: {1, 2},
    "x" * 10_000: None,
    "ümbrella": {1, 2},
}

SMALL_CORPUS = [
    "Gave my umbrella to a stranger at the bus stop",
    "Brought an UMBRELLA back",
    "Paid for coffee or tea ☕ (1=1)",
]


@pytest.mark.parametrize("query", list(ODD), ids=[repr(query[:20]) for query in ODD])
def test_odd_queries_are_plain_words_and_never_fail(session, query):
    ada = make_user(session)
    made = [make_act(session, ada, TODAY, what=what, visibility="public") for what in SMALL_CORPUS]
    roots = {act.root_id: number for number, act in enumerate(made, start=1)}
    listing = explore.listing(session, query=query)
    expected = ODD[query]
    if expected is None:
        assert search.parse(query) is None
        assert listing.search is None
        assert set(roots) <= {row.root_id for row in listing.chains}
    else:
        assert listing.search is not None
        assert {roots[row.root_id] for row in listing.chains} == expected


def test_a_query_keeps_a_few_short_words():
    parsed = search.parse("One two three four five six seven eight nine ten " + "y" * 61)
    assert parsed is not None
    assert parsed.words == ("one", "two", "three", "four", "five", "six", "seven", "eight")
    assert search.parse("a b a") == search.Query(("a", "b"), prefix=False)
    assert search.parse("Kaffee") == search.Query(("kaffee",), prefix=True)


def test_excerpt_marks_the_words_around_the_first_match():
    query = search.parse("umbrella")
    text = "A" * 100 + " lent my Umbrella to a stranger " + "b" * 100
    pieces = search.excerpt(text, query)
    shown = "".join(piece for piece, _ in pieces)
    assert len(shown) <= 80
    assert shown.startswith("…") and shown.endswith("…")
    assert ("Umbrella", True) in pieces
    assert search.excerpt("Short", query) == [("Short", False)]
    assert search.excerpt("umbrellas, umbrella", query) == [
        ("umbrellas", True),
        (", ", False),
        ("umbrella", True),
    ]


@pytest.mark.parametrize(
    "arguments",
    [
        {"query": "tree"},
        {"query": "tree act", "category": "help"},
        {"category": "help"},
        {"query": "tree", "order": "newest", "page": 2},
    ],
)
def test_few_matches_read_by_id_and_many_walked_give_the_same_page(session, monkeypatch, arguments):
    """Up to explore.FEW matching acts the chains are read by id, beyond they are
    walked in order (asking the set of matches found once up to explore.MANY, each
    act beyond): the same chains every way."""
    ada, ben = make_user(session), make_user(session)
    for size in (1, 3, 2, 5, 1, 4, 2, 6, 1, 3) * 3:
        make_tree(session, ada, ben, size, visibility="public")
    make_act(session, ada, TODAY, what="A private tree act")
    by_id = explore.listing(session, **arguments)
    monkeypatch.setattr(explore, "FEW", 2)
    walked = explore.listing(session, **arguments)
    monkeypatch.setattr(explore, "MANY", 3)
    each_act = explore.listing(session, **arguments)
    assert [row.root_id for row in by_id.chains]
    for other in (walked, each_act):
        assert [row.root_id for row in other.chains] == [row.root_id for row in by_id.chains]
        assert other.has_next == by_id.has_next
        assert other.texts == by_id.texts
