"""Search by words in title, tags and description: FTS on both backends, pg_trgm for typos.

Only the words are taken out of the query (letters and digits), each quoted as a term of the
backend's query language (an escaped literal for PostgreSQL, a quoted FTS5 string for SQLite),
so `"`, `*`, `NEAR`, `-` and the like are never syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from notalabel.discovery import cursor
from notalabel.discovery.feeds import after_position
from notalabel.discovery.near_words import NearWords
from notalabel.discovery.schemas import FeedPage
from notalabel.discovery.search_postgres import MAX_CANDIDATES, quoted, search_rows
from notalabel.discovery.tables import CARD, PATTERNS, TRENDING, WITH_CREATOR, page_of, public_to

KIND = "search"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 16
# bm25 column weights of the FTS5 table: title, tags, description
_FTS_WEIGHTS = (10.0, 4.0, 1.0)
_WORD = re.compile(r"[^\W_]+")

_FTS: ColumnElement[Any] = sa.literal_column("pattern_search")
_FTS_ROWS = sa.table("pattern_search_rows", sa.column("id"), sa.column("pattern_id"))
_FTS_TABLE = sa.table("pattern_search", sa.column("rowid"))


def words_of(query: str) -> list[str]:
    """The searchable words of `query`, lower-case, at most MAX_WORDS."""
    return [w.casefold() for w in _WORD.findall(query)][:MAX_WORDS]


def fts5_match(words: list[str]) -> str:
    """An FTS5 query: every word as a quoted prefix term, all required."""
    # words hold no quote; doubling them anyway keeps this safe for any input
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def ts_query(words: list[str], joiner: str = "&") -> str:
    """A to_tsquery text: every word a quoted prefix lexeme, joined by `joiner` (& or |)."""
    return f" {joiner} ".join(f"'{quoted(w)}':*" for w in words)


def search_page(
    conn: Connection,
    words: list[str],
    viewer_id: str | None,
    *,
    trigram_schema: str | None,
    near_words: NearWords,
    limit: int,
    after: str | None,
) -> FeedPage:
    """One page of the public patterns matching `words`, most relevant first."""
    if not words:
        return FeedPage(items=[], next_cursor=None)
    viewer = None if viewer_id is None else sa.literal(viewer_id, sa.String())
    position = None if after is None else cursor.decode(KIND, after, timed=False)
    after_key = None
    if position is not None and isinstance(position.key, float):
        after_key = (position.key, position.id)
    if conn.dialect.name == "postgresql":
        if trigram_schema is None:
            raise RuntimeError("pg_trgm is missing: run the migrations")
        near = near_words.of(conn, words, trigram_schema)
        rows = search_rows(conn, words, near, viewer_id, limit=limit + 1, after=after_key)
    else:
        rows = _sqlite_rows(conn, words, viewer, limit=limit + 1, after=after_key)
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursor.encode(KIND, float(last.rank), last.id)
    return page_of(rows[:limit], next_cursor)


def _sqlite_rows(
    conn: Connection,
    words: list[str],
    viewer: ColumnElement[str] | None,
    *,
    limit: int,
    after: tuple[float, str] | None,
) -> Sequence[Row[Any, *tuple[Any, ...]]]:
    source, match, rank = _sqlite(words)
    # relevance is ranked among the MAX_CANDIDATES most trending matches, as on PostgreSQL
    candidates = (
        sa.select(PATTERNS.c.id)
        .select_from(source)
        .where(match, public_to(viewer))
        .order_by(TRENDING.desc(), PATTERNS.c.id.desc())
        .limit(MAX_CANDIDATES)
        .correlate(None)
    )
    # bm25 needs the MATCH of its own query
    conditions = [PATTERNS.c.id.in_(candidates), match, public_to(viewer)]
    if after is not None:
        after_key: ColumnElement[Any] = sa.literal(after[0], sa.Double())
        after_id: ColumnElement[str] = sa.literal(after[1], sa.String())
        conditions.append(after_position(rank, PATTERNS.c.id, after_key, after_id))
    query = (
        sa.select(*CARD, rank.label("rank"))
        .select_from(source)
        .where(*conditions)
        .order_by(rank.desc(), PATTERNS.c.id.desc())
        .limit(limit)
    )
    return conn.execute(query).all()


def _sqlite(words: list[str]) -> tuple[Any, ColumnElement[bool], ColumnElement[float]]:
    source = WITH_CREATOR.join(_FTS_ROWS, _FTS_ROWS.c.pattern_id == PATTERNS.c.id).join(
        _FTS_TABLE, _FTS_TABLE.c.rowid == _FTS_ROWS.c.id
    )
    match = _FTS.op("MATCH", is_comparison=True)(sa.literal(fts5_match(words), sa.Text()))
    # bm25 is lower for better matches
    rank: ColumnElement[float] = sa.cast(-sa.func.bm25(_FTS, *_FTS_WEIGHTS), sa.Double())
    return source, match, rank


def trigram_schema_of(conn: Connection) -> str | None:
    """Where pg_trgm is installed (None on SQLite or when it is missing)."""
    if conn.dialect.name != "postgresql":
        return None
    found = conn.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()
    return None if found is None else str(found)
