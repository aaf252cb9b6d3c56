"""explore search

Explore's text search by the database's own full-text index, over public,
shown acts only (public, not removed, not hidden by a moderator):

- PostgreSQL: a partial GIN index on ``to_tsvector('simple',
  kindness_search_text(what))``, where ``kindness_search_text`` folds accents
  with the ``unaccent`` extension, lowers the case and turns every run of
  characters that are not letters or digits into one space (so the text
  parser sees plain words only: no e-mail addresses, URLs or hyphenated
  compounds as tokens of their own, as SQLite's tokenizer sees none either).
- SQLite: an FTS5 table ``acts_search`` with external content (``acts``),
  tokenizer ``unicode61 remove_diacritics 2``, kept in step by triggers.
  unicode61 does not fold the letters that ``unaccent`` spells out (ß → ss,
  æ → ae, ø → o, ł → l, ...), so the triggers spell them out before the
  tokenizer sees the text: both databases index the same words.

The letters below must stay the same as FOLDED_LETTERS in
kindness/domain/search.py (the query is folded there); these objects are not
in the models and migrations/env.py leaves them out of the comparison
(kindness.db.include_object). A later SQLite batch migration that rebuilds
``acts`` drops the triggers with the old table: it must create them again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Letters that PostgreSQL's unaccent spells out and SQLite's unicode61 keeps.
FOLDED_LETTERS = {
    "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o",
    "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
    "ħ": "h", "Ħ": "h", "ı": "i", "ĳ": "ij", "Ĳ": "ij",
}  # fmt: skip

SHOWN = "{row}.visibility = 'public' AND {row}.removed_at IS NULL AND {row}.hidden_at IS NULL"


def _folded(column: str) -> str:
    expression = column
    for letter, spelled in FOLDED_LETTERS.items():
        expression = f"replace({expression}, '{letter}', '{spelled}')"
    return expression


def _sqlite_triggers() -> list[str]:
    old, new = SHOWN.format(row="old"), SHOWN.format(row="new")
    forget = (
        "INSERT INTO acts_search(acts_search, rowid, what)"
        f" SELECT 'delete', old.id, {_folded('old.what')} WHERE {old} AND old.what IS NOT NULL;"
    )
    learn = (
        f"INSERT INTO acts_search(rowid, what) SELECT new.id, {_folded('new.what')}"
        f" WHERE {new} AND new.what IS NOT NULL;"
    )
    return [
        f"CREATE TRIGGER acts_search_insert AFTER INSERT ON acts BEGIN {learn} END",
        f"CREATE TRIGGER acts_search_delete AFTER DELETE ON acts BEGIN {forget} END",
        "CREATE TRIGGER acts_search_update AFTER UPDATE OF what, visibility, removed_at,"
        f" hidden_at ON acts BEGIN {forget} {learn} END",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        # Schema-qualified, so that pg_restore (which empties search_path) can rebuild the index.
        schema = op.get_bind().exec_driver_sql(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'"
        )
        schema = schema.scalar_one()
        op.execute(
            "CREATE FUNCTION kindness_search_text(text) RETURNS text"
            " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
            f" $$ SELECT regexp_replace(lower({schema}.unaccent('{schema}.unaccent'::regdictionary,"
            " $1)), '[^[:alnum:]]+', ' ', 'g') $$"
        )
        op.execute(
            "CREATE INDEX ix_acts_search ON acts"
            " USING gin (to_tsvector('simple'::regconfig, kindness_search_text(what)))"
            f" WHERE {SHOWN.format(row='acts')}"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE acts_search USING fts5(what, content='acts', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    for trigger in _sqlite_triggers():
        op.execute(trigger)
    # Built from this module's constants only.
    backfill = f"INSERT INTO acts_search(rowid, what) SELECT id, {_folded('what')} FROM acts"  # noqa: S608
    op.execute(backfill + f" WHERE {SHOWN.format(row='acts')} AND what IS NOT NULL")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_acts_search")
        op.execute("DROP FUNCTION IF EXISTS kindness_search_text(text)")
        op.execute("DROP EXTENSION IF EXISTS unaccent")
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS acts_search_{name}")
    op.execute("DROP TABLE IF EXISTS acts_search")
