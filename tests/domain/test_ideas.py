"""Tests for the curated act ideas: the data file's quality and picking one."""

import json
import random
from collections import Counter

import pytest

from kindness.domain import ideas
from kindness.domain.ideas import Idea, by_number, load_ideas, number_of, pick_idea
from kindness.models import CATEGORIES


def test_enough_ideas() -> None:
    assert len(load_ideas()) >= 60


def test_every_category_has_enough_ideas() -> None:
    counts = Counter(idea.category for idea in load_ideas())
    for category in CATEGORIES:
        assert counts[category] >= 6, category


@pytest.mark.parametrize("idea", load_ideas(), ids=lambda idea: idea.text_en[:40])
def test_texts_are_present_and_sane(idea: Idea) -> None:
    assert idea.category in CATEGORIES
    for text in (idea.text_en, idea.text_de):
        assert text == text.strip()
        assert 15 <= len(text) <= 200
    assert idea.text_de != idea.text_en


def test_no_duplicates() -> None:
    all_ideas = load_ideas()
    assert len({idea.text_en for idea in all_ideas}) == len(all_ideas)
    assert len({idea.text_de for idea in all_ideas}) == len(all_ideas)


def test_load_ideas_is_cached() -> None:
    assert load_ideas() is load_ideas()


def test_unknown_category_is_rejected(tmp_path, monkeypatch) -> None:
    (tmp_path / "data").mkdir()
    bad = {"ideas": [{"category": "bribery", "en": "Do it.", "de": "Mach es."}]}
    (tmp_path / "data" / "ideas.json").write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setattr(ideas, "files", lambda _package: tmp_path)
    load_ideas.cache_clear()
    try:
        with pytest.raises(ValueError, match="bribery"):
            load_ideas()
    finally:
        load_ideas.cache_clear()


def test_pick_idea_returns_an_idea() -> None:
    idea = pick_idea(random.Random(1))
    assert isinstance(idea, Idea)
    assert idea in load_ideas()


def test_pick_idea_without_rng() -> None:
    assert pick_idea() in load_ideas()


@pytest.mark.parametrize("category", CATEGORIES)
def test_pick_idea_from_category(category: str) -> None:
    rng = random.Random(1)
    for _ in range(20):
        assert pick_idea(rng, category=category).category == category


def test_pick_idea_honours_exclude() -> None:
    rng = random.Random(1)
    excluded = load_ideas()[0]
    for _ in range(500):
        assert pick_idea(rng, exclude=excluded.text_en).text_en != excluded.text_en
    for _ in range(200):
        picked = pick_idea(rng, category=excluded.category, exclude=excluded.text_en)
        assert picked.category == excluded.category
        assert picked.text_en != excluded.text_en


def test_pick_idea_unknown_category() -> None:
    with pytest.raises(ValueError, match="nonsense"):
        pick_idea(random.Random(1), category="nonsense")


def test_text_by_locale() -> None:
    idea = Idea(category="help", text_en="Carry the shopping.", text_de="Trag die Einkäufe.")
    assert idea.text("de") == "Trag die Einkäufe."
    assert idea.text("de_DE") == "Trag die Einkäufe."
    assert idea.text("en") == "Carry the shopping."
    assert idea.text("fr") == "Carry the shopping."


def test_ideas_are_addressed_by_number():
    idea = pick_idea(random.Random(3))
    assert by_number(number_of(idea)) == idea
    assert by_number(-1) is None
    assert by_number(len(load_ideas())) is None
