"""Explore's text search: what a typed query means, and the condition that finds
public, shown acts by the database's own full-text index (migration 0010).

Both databases see words the same way, so they find the same acts (the order
of the chains is the listing's, never a rank):

- a word is a run of letters and digits; everything else (punctuation, quotes,
  ``*``, ``-``, brackets, emoji) only separates words. A query is therefore
  never the index's query language: ``NEAR``, ``AND`` or ``OR`` are words to
  look for, quotes and operators are dropped, and nothing a person types can
  make the statement fail;
- case and accents are folded (``Müller`` = ``muller``, ``Crème`` = ``creme``),
  and the letters that PostgreSQL's ``unaccent`` spells out are spelled out on
  both sides (``Straße`` = ``strasse``);
- no stemming: acts are written in English and German (and whatever else people
  write), often mixed, and a stemmer for one language mangles the other
  (``simple`` on PostgreSQL, ``unicode61`` on SQLite, neither language-aware);
- every word must occur; the last one may be the start of a word (type-ahead:
  ``umbr`` finds "umbrella") when it is at least ``PREFIX_MIN`` long.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.models import Act

# The same letters as FOLDED_LETTERS in migrations/versions/0010_explore_search.py.
FOLDED_LETTERS = str.maketrans(
    {
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
        "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
        "ħ": "h", "Ħ": "h", "ı": "i", "ĳ": "ij", "Ĳ": "ij",
    }
)  # fmt: skip

# A word: letters and digits (Python's \w without the underscore).
WORD = re.compile(r"[^\W_]+")
# At most this many words are looked for, each at most WORD_MAX long (longer
# words are no words anyone types, and PostgreSQL does not index them).
WORDS_MAX = 8
WORD_MAX = 60
PREFIX_MIN = 3

_SIMPLE: ColumnElement[str] = literal_column("'simple'::regconfig")
# SQLite's FTS5 table (external content: the rowid is the act's id); the hidden
# column named as the table is what MATCH takes.
_ACTS_SEARCH = table("acts_search", column("rowid"), column("acts_search"))


@dataclass(frozen=True)
class Query:
    """A query as plain words (folded), the last perhaps the start of a word."""

    words: tuple[str, ...]
    prefix: bool

    def matches(self, word: str) -> bool:
        """Whether one word of a text (as written) is one this query looks for."""
        folded = fold(word)
        if folded in self.words[:-1] or folded == self.words[-1]:
            return True
        return self.prefix and folded.startswith(self.words[-1])


def fold(word: str) -> str:
    """A word as the index keeps it: spelled-out letters, no accents, lower case."""
    decomposed = unicodedata.normalize("NFD", word.translate(FOLDED_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words_of(text: str) -> list[re.Match[str]]:
    """The words of a text as written (composed), with their places."""
    return list(WORD.finditer(text))


def parse(text: str | None) -> Query | None:
    """The words of a typed query, or None when it has none (the plain listing)."""
    if not text:
        return None
    words: list[str] = []
    for match in WORD.finditer(unicodedata.normalize("NFC", text)):
        word = fold(match.group())
        # Folding can leave nothing but letters and digits, or (for a lone
        # combining mark) nothing at all.
        if 0 < len(word) <= WORD_MAX and WORD.fullmatch(word) and word not in words:
            words.append(word)
        if len(words) == WORDS_MAX:
            break
    if not words:
        return None
    return Query(tuple(words), prefix=len(words[-1]) >= PREFIX_MIN)


def _fts5(query: Query) -> str:
    # Each word in double quotes is a plain string to FTS5 (a word has no quote in it).
    parts = [f'"{word}"' for word in query.words]
    if query.prefix:
        parts[-1] += "*"
    return " ".join(parts)


def _tsquery(query: Query) -> str:
    # Each word in single quotes is one lexeme to to_tsquery (a word has no quote in it).
    parts = [f"'{word}'" for word in query.words]
    if query.prefix:
        parts[-1] += ":*"
    return " & ".join(parts)


def matching(session: Session, query: Query) -> ColumnElement[bool]:
    """Public, shown acts whose text has every word of ``query``, by the full-text
    index (which holds public, shown acts only)."""
    if session.get_bind().dialect.name == "postgresql":
        # The very expression and condition of the partial index ix_acts_search, so
        # the planner uses it.
        document = func.to_tsvector(_SIMPLE, func.kindness_search_text(Act.what))
        wanted = func.to_tsquery(_SIMPLE, bindparam("search_query", _tsquery(query)))
        return PUBLIC_AND_SHOWN & document.op("@@")(wanted)
    found = select(_ACTS_SEARCH.c.rowid).where(
        _ACTS_SEARCH.c.acts_search.op("MATCH")(bindparam("search_query", _fts5(query)))
    )
    return PUBLIC_AND_SHOWN & Act.id.in_(found)


def found(session: Session, query: Query) -> ColumnElement[bool]:
    """The same as ``matching``, as a set of ids found once for a whole statement
    (``matching`` on PostgreSQL reads each act's own words: right for a few acts,
    not for asking thousands of chains). On PostgreSQL ``IS TRUE`` keeps it a set
    hashed once (a "hashed SubPlan"): a bare ``IN`` inside the per-chain probe of
    explore's walk would become a join planned anew for every chain."""
    if session.get_bind().dialect.name != "postgresql":
        return matching(session, query)
    other = aliased(Act)
    document = func.to_tsvector(_SIMPLE, func.kindness_search_text(other.what))
    wanted = func.to_tsquery(_SIMPLE, bindparam("search_query", _tsquery(query)))
    shown = (
        (other.visibility == literal_column("'public'"))
        & other.removed_at.is_(None)
        & other.hidden_at.is_(None)
    )
    return Act.id.in_(select(other.id).where(shown, document.op("@@")(wanted))).is_(True)


def first_found(session: Session, query: Query, limit: int) -> Select:
    """The ids of at most ``limit`` public, shown acts with the words, in no order:
    the index stops after ``limit`` (to count matches up to a bound without
    finding them all)."""
    if _postgresql(session):
        return select(Act.id).where(matching(session, query)).limit(limit)
    # The FTS5 table holds public, shown acts only (its triggers, migration 0010).
    return (
        select(_ACTS_SEARCH.c.rowid)
        .where(_ACTS_SEARCH.c.acts_search.op("MATCH")(bindparam("search_query", _fts5(query))))
        .limit(limit)
    )


def each_act(session: Session, query: Query) -> ColumnElement[bool]:
    """The same as ``matching``, for walking chains when very many acts match:
    the page fills after a few hundred chains, and finding the set of all
    matches first (tens of thousands of acts for a common word) costs more than
    the walk. PostgreSQL asks each act of a walked chain for its own words;
    SQLite's FTS5 finds the set fast but costs about half a millisecond for one
    act's words (more for a prefix), so there the set is found once all the same."""
    if not _postgresql(session):
        return matching(session, query)
    document = func.to_tsvector(_SIMPLE, func.kindness_search_text(Act.what))
    wanted = func.to_tsquery(_SIMPLE, bindparam("search_query", _tsquery(query)))
    # IS TRUE is not the index's condition: the planner reads the act's own words
    # rather than the index's whole list of matches once per chain.
    return PUBLIC_AND_SHOWN & document.op("@@")(wanted).is_(True)


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def pieces(text: str, query: Query | None) -> Sequence[tuple[str, bool]]:
    """``text`` cut into (piece, is it a match) in order, for highlighting."""
    text = unicodedata.normalize("NFC", text)
    if query is None:
        return [(text, False)]
    cut: list[tuple[str, bool]] = []
    done = 0
    for match in words_of(text):
        if query.matches(match.group()):
            if match.start() > done:
                cut.append((text[done : match.start()], False))
            cut.append((match.group(), True))
            done = match.end()
    if done < len(text):
        cut.append((text[done:], False))
    return cut


def excerpt(
    text: str, query: Query | None, width: int = 80, before: int = 20
) -> Sequence[tuple[str, bool]]:
    """At most ``width`` characters of ``text`` around its first match, cut into
    pieces as ``pieces`` does, with "…" where the text goes on."""
    cut = pieces(text, query)
    whole = "".join(piece for piece, _ in cut)
    if len(whole) <= width:
        return cut
    first, place = 0, 0
    for piece, matched in cut:
        if matched:
            first = place
            break
        place += len(piece)
    start = max(0, min(first - before, len(whole) - width + 1))
    end = start + width - 1 - (start > 0)
    shown: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    place = 0
    for piece, matched in cut:
        low, high = max(start, place), min(end, place + len(piece))
        if low < high:
            shown.append((piece[low - place : high - place], matched))
        place += len(piece)
    if end < len(whole):
        shown.append(("…", False))
    return shown
