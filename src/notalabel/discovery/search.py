"""Search by words in title, tags and description: FTS on both backends, pg_trgm for typos.

Only the words are taken out of the query (letters and digits), each quoted as a term of the
backend's query language (an escaped literal for PostgreSQL, a quoted FTS5 string for SQLite),
so `"`, `*`, `NEAR`, `-` and the like are never syntax.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from notalabel.discovery import cursor
from notalabel.discovery.feeds import after_position
from notalabel.discovery.schemas import FeedPage
from notalabel.discovery.tables import CARD, PATTERNS, TRENDING, WITH_CREATOR, card, public_to

KIND = "search"
MAX_QUERY_LENGTH = 200
MAX_WORDS = 16
# pg_trgm similarity from which a stored word counts as a typo of a query word (0.3, pg_trgm's
# default, takes "train" for "rain"): a missing, extra or wrong letter in a word of six or more
# letters stays above it, swapped letters do not
TRIGRAM_THRESHOLD = 0.4
MIN_FUZZY_LENGTH = 4
NEAR_WORDS = 3
MAX_CANDIDATES = 500
# bm25 column weights of the FTS5 table: title, tags, description
_FTS_WEIGHTS = (10.0, 4.0, 1.0)
_WORD = re.compile(r"[^\W_]+")

_VECTOR: ColumnElement[Any] = sa.literal_column("patterns.search_vector")
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
    return f" {joiner} ".join(f"'{_quoted(w)}':*" for w in words)


def search_page(
    conn: Connection,
    words: list[str],
    viewer_id: str | None,
    *,
    trigram_schema: str | None,
    limit: int,
    after: str | None,
) -> FeedPage:
    """One page of the public patterns matching `words`, most relevant first."""
    if not words:
        return FeedPage(items=[], next_cursor=None)
    if conn.dialect.name == "postgresql":
        if trigram_schema is None:
            raise RuntimeError("pg_trgm is missing: run the migrations")
        source, match, rank = _postgresql(conn, words, trigram_schema)
    else:
        source, match, rank = _sqlite(words)
    # relevance is ranked among the MAX_CANDIDATES most trending matches only: ranking every
    # pattern with a common word would cost time in proportion to all of them
    candidates = (
        sa.select(PATTERNS.c.id)
        .select_from(source if conn.dialect.name != "postgresql" else PATTERNS)
        .where(match, public_to(viewer_id))
        .order_by(TRENDING.desc(), PATTERNS.c.id.desc())
        .limit(MAX_CANDIDATES)
        .correlate(None)
    )
    conditions: list[ColumnElement[bool]] = [PATTERNS.c.id.in_(candidates)]
    if conn.dialect.name != "postgresql":
        # bm25 needs the MATCH of its own query
        conditions.append(match)
    if after is not None:
        position = cursor.decode(KIND, after, timed=False)
        conditions.append(after_position(rank, PATTERNS.c.id, position))
    query = (
        sa.select(*CARD, rank.label("rank"))
        .select_from(source)
        .where(*conditions)
        .order_by(rank.desc(), PATTERNS.c.id.desc())
        .limit(limit + 1)
    )
    rows = conn.execute(query).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursor.encode(KIND, float(last.rank), last.id)
    return FeedPage(items=[card(row) for row in rows[:limit]], next_cursor=next_cursor)


def _postgresql(
    conn: Connection, words: list[str], schema: str
) -> tuple[Any, ColumnElement[bool], ColumnElement[float]]:
    near = _near_words(conn, words, schema)
    # each word must be there: as itself (a prefix of a stemmed word) or as a word it is a typo of
    each = [[f"'{_quoted(w)}':*", *(f"'{_quoted(n)}'" for n in near.get(w, []))] for w in words]
    match_text = " & ".join("(" + " | ".join(terms) + ")" for terms in each)
    match = _VECTOR.op("@@", is_comparison=True)(_tsquery(match_text))
    # ts_rank weighs title over tags over description; an exact word counts double a near one
    relevance = 2 * sa.func.ts_rank(_VECTOR, _tsquery(ts_query(words, "|")))
    others = [f"'{_quoted(n)}'" for w in words for n in near.get(w, [])]
    if others:
        relevance = relevance + sa.func.ts_rank(_VECTOR, _tsquery(" | ".join(others)))
    rank: ColumnElement[float] = sa.cast(relevance, sa.Double())
    return WITH_CREATOR, match, rank


def _near_words(conn: Connection, words: list[str], schema: str) -> dict[str, list[str]]:
    """Up to NEAR_WORDS stored words within one typo of each query word (pg_trgm)."""
    fuzzy = [w for w in words if len(w) >= MIN_FUZZY_LENGTH and not w.isdigit()]
    if not fuzzy:
        return {}
    # pg_trgm may live in a schema outside the search path: name it
    trgm = '"' + schema.replace('"', '""') + '"'
    # the schema comes from pg_extension, the words are parameters; the GiST index hands over
    # the nearest words first, and only those close enough are kept
    sql = (
        "SELECT q.w, s.word FROM unnest(CAST(:words AS text[])) AS q(w) CROSS JOIN LATERAL ("  # noqa: S608
        "SELECT word FROM search_words WHERE word <> q.w "
        f"ORDER BY word OPERATOR({trgm}.<->) q.w LIMIT {NEAR_WORDS}) AS s "
        f"WHERE {trgm}.similarity(s.word, q.w) >= {TRIGRAM_THRESHOLD} "
        f"ORDER BY {trgm}.similarity(s.word, q.w) DESC, s.word"
    )
    query = sa.text(sql).bindparams(sa.bindparam("words", type_=ARRAY(sa.Text())))
    near: dict[str, list[str]] = {}
    for word, other in conn.execute(query, {"words": fuzzy}):
        near.setdefault(word, []).append(other)
    return near


def _quoted(word: str) -> str:
    return word.replace("'", "''").replace("\\", "\\\\")


def _tsquery(text: str) -> ColumnElement[Any]:
    # written into the statement, not bound: a prepared statement's generic plan cannot tell a
    # rare word from a common one, and would scan the common one's every match
    value = sa.bindparam("tsquery", text, type_=sa.Text(), unique=True, literal_execute=True)
    return sa.func.to_tsquery(sa.literal_column("'english'::regconfig"), value)


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
