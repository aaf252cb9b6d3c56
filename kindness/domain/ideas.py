"""The curated list of act ideas behind "give me an idea".

Owns the ``Idea`` value type, loading and validating ``data/ideas.json`` (shipped as
package data), picking a random idea, and each person's idea of the day. An idea
is known by its number in the list (links, ``acts.idea_number``): the list only grows.
"""

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.models import CATEGORIES, Act


@dataclass(frozen=True)
class Idea:
    category: str
    text_en: str
    text_de: str

    def text(self, locale: str) -> str:
        """Return the idea in German for ``de`` locales, in English otherwise."""
        return self.text_de if locale.lower().startswith("de") else self.text_en


@cache
def load_ideas() -> tuple[Idea, ...]:
    """Read and validate the curated ideas once per process."""
    raw = (files("kindness") / "data" / "ideas.json").read_text(encoding="utf-8")
    ideas = []
    for index, entry in enumerate(json.loads(raw)["ideas"]):
        if entry["category"] not in CATEGORIES:
            raise ValueError(
                f"ideas.json entry {index} ({entry.get('en')!r}) has unknown category "
                f"{entry['category']!r}; expected one of {', '.join(CATEGORIES)}"
            )
        ideas.append(Idea(category=entry["category"], text_en=entry["en"], text_de=entry["de"]))
    return tuple(ideas)


def pick_idea(
    rng: random.Random | None = None,
    category: str | None = None,
    exclude: str | None = None,
) -> Idea:
    """Pick a random idea, optionally from one category, avoiding ``exclude`` if possible.

    ``exclude`` is the English text of the idea shown last, so asking again gives a new one.
    """
    # Picking a suggestion is not security-relevant, so a plain PRNG is fine.
    rng = rng or random.Random()  # noqa: S311
    pool = [idea for idea in load_ideas() if category is None or idea.category == category]
    if not pool:
        raise ValueError(f"no ideas for category {category!r}")
    others = [idea for idea in pool if idea.text_en != exclude]
    return rng.choice(others or pool)


def by_number(number: int) -> Idea | None:
    """The idea at ``number`` in the list (how links refer to one), or None."""
    ideas = load_ideas()
    return ideas[number] if 0 <= number < len(ideas) else None


def number_of(idea: Idea) -> int:
    return load_ideas().index(idea)


def logged_from(session: Session, user_id: int) -> set[int]:
    """The numbers of the ideas the person has logged an act from."""
    return set(
        session.scalars(
            select(Act.idea_number)
            .where(Act.author_id == user_id, Act.idea_number.is_not(None))
            .distinct()
        )
    )


def number_of_the_day(user_id: int, day: date, logged: set[int]) -> int:
    """The number of the person's idea for ``day``: the same in mail and calendar, on
    every refresh, and never one they already logged from (unless they logged all).

    Each person walks the whole list in their own fixed order (a hash of their id
    and the idea), one place further each day; a day whose place holds an idea they
    logged takes the next one not logged. Logging an idea therefore changes only
    the days that would have shown it."""
    order = sorted(
        range(len(load_ideas())),
        key=lambda n: hashlib.sha256(f"{user_id}:{n}".encode()).digest(),
    )
    start = day.toordinal() % len(order)
    for step in range(len(order)):
        number = order[(start + step) % len(order)]
        if number not in logged:
            return number
    return order[start]
