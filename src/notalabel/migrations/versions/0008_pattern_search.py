"""discovery: trending score, tag lookup table, full-text search and the feed indexes

- `patterns.trending_score`: log2(engagement) + days since 2026-01-01 (see
  notalabel/discovery/trending.py), kept by triggers whenever a counter changes.
- `pattern_tags(pattern_id, tag, created_at)`: one row per tag, kept by triggers from
  `patterns.tags`, so a tag feed is an index range instead of a JSON scan.
- Search. PostgreSQL: a generated, weighted `search_vector` (title A, tags B, description C)
  with a GIN index, and `search_words`, every word ever written in a pattern (kept by a
  trigger), with a pg_trgm GiST index: a typo is looked up there and searched as the words it is
  close to, so all matching goes through the GIN index of `search_vector`.
  SQLite: an FTS5 table `pattern_search` (porter stemming) kept by triggers; its integer rowids
  come from `pattern_search_rows`, since a table keyed by text may renumber its own rowids on
  VACUUM.
- Indexes for the public feeds by recency and by trend, overall and per genre and mood.

The downgrade leaves the pg_trgm extension installed: it is database-wide and other schemas
may use it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

# ruff: noqa: S608 - every statement here is built from constants, none from input

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import notalabel.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 2026-01-01T00:00Z as a Unix time and as a Julian day (see discovery/trending.py)
_EPOCH_UNIX = 1767225600
_EPOCH_JULIAN = 2461041.5
_ENGAGEMENT = "3 * {p}likes + {p}plays + 5 * {p}remixes + 2 * {p}comments + 1"
_PG_SCORE = (
    "ln(greatest(" + _ENGAGEMENT + ", 1)::float8) / ln(2.0::float8)"
    " + (extract(epoch from {p}created_at)::float8 - " + str(_EPOCH_UNIX) + ") / 86400.0"
)
_SQLITE_SCORE = (
    "ln(max(" + _ENGAGEMENT + ", 1)) / ln(2.0)"
    " + (julianday({p}created_at) - " + str(_EPOCH_JULIAN) + ")"
)
_FEED_INDEXES = {
    "ix_patterns_public_trending": ["is_public", "trending_score", "id"],
    "ix_patterns_public_genre_created": ["is_public", "genre", "created_at", "id"],
    "ix_patterns_public_genre_trending": ["is_public", "genre", "trending_score", "id"],
    "ix_patterns_public_mood_created": ["is_public", "mood", "created_at", "id"],
    "ix_patterns_public_mood_trending": ["is_public", "mood", "trending_score", "id"],
}
# (name, event, body) of each SQLite trigger
_SQLITE_TAGS = "(SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.tags))"
_SQLITE_SEARCH_ROW = "(SELECT id FROM pattern_search_rows WHERE pattern_id = {p}.id)"
_SQLITE_TRIGGERS = [
    (
        "patterns_trending_insert",
        "AFTER INSERT ON patterns",
        "UPDATE patterns SET trending_score = "
        + _SQLITE_SCORE.format(p="new.")
        + " WHERE id = new.id;",
    ),
    (
        "patterns_trending_update",
        "AFTER UPDATE OF likes, plays, remixes, comments, created_at ON patterns",
        "UPDATE patterns SET trending_score = "
        + _SQLITE_SCORE.format(p="new.")
        + " WHERE id = new.id;",
    ),
    (
        "patterns_tags_insert",
        "AFTER INSERT ON patterns",
        "INSERT OR IGNORE INTO pattern_tags (pattern_id, tag, created_at) "
        "SELECT new.id, substr(value, 1, 128), new.created_at FROM json_each(new.tags) "
        "WHERE type = 'text';",
    ),
    (
        "patterns_tags_update",
        "AFTER UPDATE OF tags ON patterns",
        "DELETE FROM pattern_tags WHERE pattern_id = new.id; "
        "INSERT OR IGNORE INTO pattern_tags (pattern_id, tag, created_at) "
        "SELECT new.id, substr(value, 1, 128), new.created_at FROM json_each(new.tags) "
        "WHERE type = 'text';",
    ),
    (
        "patterns_search_insert",
        "AFTER INSERT ON patterns",
        "INSERT INTO pattern_search_rows (pattern_id) VALUES (new.id); "
        "INSERT INTO pattern_search (rowid, title, tags, description) VALUES ("
        + _SQLITE_SEARCH_ROW.format(p="new")
        + ", new.title, "
        + _SQLITE_TAGS
        + ", new.description);",
    ),
    (
        "patterns_search_update",
        "AFTER UPDATE OF title, tags, description ON patterns",
        "UPDATE pattern_search SET title = new.title, tags = "
        + _SQLITE_TAGS
        + ", description = new.description WHERE rowid = "
        + _SQLITE_SEARCH_ROW.format(p="new")
        + ";",
    ),
    (
        "patterns_search_delete",
        "AFTER DELETE ON patterns",
        "DELETE FROM pattern_search WHERE rowid = "
        + _SQLITE_SEARCH_ROW.format(p="old")
        + "; DELETE FROM pattern_search_rows WHERE pattern_id = old.id;",
    ),
]
_PG_FUNCTIONS = {
    "patterns_trending_score": (
        "BEGIN NEW.trending_score := " + _PG_SCORE.format(p="NEW.") + "; RETURN NEW; END"
    ),
    "patterns_sync_tags": (
        "BEGIN "
        "IF TG_OP = 'UPDATE' THEN DELETE FROM pattern_tags WHERE pattern_id = NEW.id; END IF; "
        "IF jsonb_typeof(NEW.tags) = 'array' THEN "
        "INSERT INTO pattern_tags (pattern_id, tag, created_at) "
        "SELECT DISTINCT NEW.id, left(t, 128), NEW.created_at "
        "FROM jsonb_array_elements_text(NEW.tags) AS t ON CONFLICT DO NOTHING; "
        "END IF; RETURN NULL; END"
    ),
    "patterns_sync_words": (
        "BEGIN INSERT INTO search_words (word) "
        "SELECT DISTINCT w FROM regexp_split_to_table(" + "{words}" + ", '[^[:alnum:]]+') AS w "
        "WHERE length(w) BETWEEN 3 AND 64 AND w !~ '^[0-9]+$' "
        "ON CONFLICT DO NOTHING; RETURN NULL; END"
    ),
}
_PG_TRIGGERS = {
    "patterns_trending": (
        "BEFORE INSERT OR UPDATE OF likes, plays, remixes, comments, created_at",
        "patterns_trending_score",
    ),
    "patterns_tags": ("AFTER INSERT OR UPDATE OF tags", "patterns_sync_tags"),
    "patterns_words": (
        "AFTER INSERT OR UPDATE OF title, tags, description",
        "patterns_sync_words",
    ),
}
_PG_SEARCH_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(tags, '[]'::jsonb)), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '')), 'C')"
)
_PG_WORDS = (
    "lower(coalesce({p}title, '') || ' ' || coalesce({p}tags::text, '') || ' ' "
    "|| coalesce({p}description, ''))"
)


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def trigram_schema(conn: sa.engine.Connection) -> str | None:
    """The schema pg_trgm is installed in, or None."""
    found = conn.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()
    return None if found is None else str(found)


def _ensure_trigram() -> str:
    conn = op.get_bind()
    # concurrent migrations of separate schemas (the test suite) would race to create it
    conn.execute(sa.text("SELECT pg_advisory_xact_lock(80080008)"))
    schema = trigram_schema(conn)
    if schema is None:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
        schema = "public"
    return schema


def upgrade() -> None:
    op.add_column(
        "patterns",
        sa.Column("trending_score", sa.Float(), server_default=sa.text("0"), nullable=False),
    )
    op.create_table(
        "pattern_tags",
        sa.Column("pattern_id", sa.String(length=40), nullable=False),
        sa.Column("tag", sa.String(length=128), nullable=False),
        sa.Column("created_at", notalabel.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pattern_id"],
            ["patterns.id"],
            name=op.f("fk_pattern_tags_pattern_id_patterns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pattern_id", "tag", name=op.f("pk_pattern_tags")),
    )
    op.create_index(
        "ix_pattern_tags_tag_created", "pattern_tags", ["tag", "created_at", "pattern_id"]
    )
    if _is_postgresql():
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()
    for name, columns in _FEED_INDEXES.items():
        op.create_index(name, "patterns", columns)


def _upgrade_postgresql() -> None:
    op.execute("UPDATE patterns SET trending_score = " + _PG_SCORE.format(p=""))
    op.execute(
        "INSERT INTO pattern_tags (pattern_id, tag, created_at) "
        "SELECT DISTINCT p.id, left(t, 128), p.created_at FROM patterns p "
        "CROSS JOIN LATERAL jsonb_array_elements_text(p.tags) AS t "
        "WHERE jsonb_typeof(p.tags) = 'array' ON CONFLICT DO NOTHING"
    )
    schema = _ensure_trigram()
    op.create_table(
        "search_words",
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_search_words")),
    )
    op.execute(
        # GiST, not GIN: it hands over the nearest words first (ORDER BY <-> LIMIT n)
        "CREATE INDEX ix_search_words_trigram ON search_words "
        f'USING gist (word "{schema}".gist_trgm_ops)'
    )
    op.execute(
        "INSERT INTO search_words (word) SELECT DISTINCT w FROM patterns, "
        "regexp_split_to_table(" + _PG_WORDS.format(p="") + ", '[^[:alnum:]]+') AS w "
        "WHERE length(w) BETWEEN 3 AND 64 AND w !~ '^[0-9]+$'"
    )
    for name, body in _PG_FUNCTIONS.items():
        code = body.replace("{words}", _PG_WORDS.format(p="NEW."))
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {code} $$")
    for name, (when, function) in _PG_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {when} ON patterns FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    op.execute(
        "ALTER TABLE patterns "
        f"ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_PG_SEARCH_VECTOR}) STORED"
    )
    op.execute("CREATE INDEX ix_patterns_search_vector ON patterns USING gin (search_vector)")


def _upgrade_sqlite() -> None:
    op.execute("UPDATE patterns SET trending_score = " + _SQLITE_SCORE.format(p=""))
    op.execute(
        "INSERT OR IGNORE INTO pattern_tags (pattern_id, tag, created_at) "
        "SELECT p.id, substr(j.value, 1, 128), p.created_at FROM patterns p, json_each(p.tags) j "
        "WHERE j.type = 'text'"
    )
    op.execute(
        "CREATE TABLE pattern_search_rows ("
        "id INTEGER PRIMARY KEY, pattern_id VARCHAR(40) NOT NULL UNIQUE)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE pattern_search USING fts5("
        "title, tags, description, tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO pattern_search_rows (pattern_id) SELECT id FROM patterns")
    op.execute(
        "INSERT INTO pattern_search (rowid, title, tags, description) "
        "SELECT r.id, p.title, "
        "(SELECT coalesce(group_concat(value, ' '), '') FROM json_each(p.tags)), p.description "
        "FROM patterns p JOIN pattern_search_rows r ON r.pattern_id = p.id"
    )
    for name, when, body in _SQLITE_TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    for name in _FEED_INDEXES:
        op.drop_index(name, table_name="patterns")
    if _is_postgresql():
        op.execute("DROP INDEX ix_patterns_search_vector")
        op.execute("ALTER TABLE patterns DROP COLUMN search_vector")
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER {name} ON patterns")
        for name in _PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
        op.drop_table("search_words")
    else:
        for name, _, _ in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE pattern_search")
        op.execute("DROP TABLE pattern_search_rows")
    op.drop_index("ix_pattern_tags_tag_created", table_name="pattern_tags")
    op.drop_table("pattern_tags")
    with op.batch_alter_table("patterns") as batch:
        batch.drop_column("trending_score")
