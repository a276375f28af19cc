"""Search on PostgreSQL: full-text match, pg_trgm for typos, ts_rank among the most trending.

One statement per search (the typo lookup is near_words.py's). Relevance is ranked among the
MAX_CANDIDATES most trending matches only (ranking every pattern with a common word would cost
time in proportion to all of them), and those are found one of two ways:

- a common word is found fastest by walking the trending index and testing each row;
- a rare one by the GIN index, which hands over every match, sorted afterwards.

The planner cannot tell the two apart for prefix terms (it guesses their frequency), so the
statement walks a bounded stretch (WALK_ROWS) first; if that holds MAX_CANDIDATES matches they
are exactly the most trending ones, else the GIN branch runs. Each branch is gated by a
one-time filter, so only one of them does any work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row
from sqlalchemy.sql.elements import ColumnElement

from notalabel.discovery.feeds import after_position
from notalabel.discovery.tables import CARD, PATTERNS, TRENDING, USERS, public_to

# A search shows at most this many results (five pages of 20), ranked by relevance among the
# most trending matches. 200 cost a walk of about 1,800 rows for a word in one pattern of ten
# (2 ms of PostgreSQL CPU), p99 65 ms at 20 clients; 100 halves the walk, p99 44 and 51 ms in
# two runs (benchmarks/library.py, figures in the README).
MAX_CANDIDATES = 100
WALK_ROWS = 2000

_VECTOR: ColumnElement[Any] = sa.literal_column("patterns.search_vector")
# written into the statement: a cached generic plan must know how far each part reads
_CANDIDATES: ColumnElement[int] = sa.literal_column(str(MAX_CANDIDATES), sa.Integer())
_WALK_ROWS: ColumnElement[int] = sa.literal_column(str(WALK_ROWS), sa.Integer())
Rank = Callable[[ColumnElement[Any]], ColumnElement[float]]


def search_rows(
    conn: Connection,
    words: list[str],
    near: Mapping[str, list[str]],
    viewer: str | None,
    *,
    limit: int,
    after: tuple[float, str] | None,
) -> Sequence[Row[Any, *tuple[Any, ...]]]:
    """Up to `limit` rows (CARD columns and `rank`) after `after`, most relevant first.

    `near` holds the stored words each query word may be a typo of (near_words.py).
    """
    # each word must be there: as itself (a prefix of a stemmed word) or as a word it is a typo of
    each = [[f"'{quoted(w)}':*", *(f"'{quoted(n)}'" for n in near.get(w, []))] for w in words]
    typos = [f"'{quoted(n)}'" for w in words for n in near.get(w, [])]
    params: dict[str, Any] = {
        "match": " & ".join("(" + " | ".join(terms) + ")" for terms in each),
        "exact": " | ".join(f"'{quoted(w)}':*" for w in words),
        "typos": " | ".join(typos),
        "viewer": viewer,
        "limit": limit,
    }
    if after is not None:
        params |= {"after_key": after[0], "after_id": after[1]}
    shape = _Shape(viewer=viewer is not None, typos=bool(typos), after=after is not None)
    return conn.execute(_statement(shape), params).all()


@dataclass(frozen=True, slots=True)
class _Shape:
    viewer: bool
    typos: bool
    after: bool


@cache
def _statement(shape: _Shape) -> sa.Select[Any]:
    # built once per shape: building this statement cost more CPU than PostgreSQL running it.
    # The tsqueries are parameters: whichever plan is cached, each branch below can only run
    # one way (a walk of the trending index, or the GIN index into a materialized set)
    viewer = sa.bindparam("viewer", type_=sa.String()) if shape.viewer else None
    candidates = _candidates(_tsquery("match"), viewer)
    rank = _rank(typos=shape.typos)
    ranked = sa.select(candidates.c.id, rank(candidates.c.vector).label("rank"))
    if shape.after:
        after_key: ColumnElement[float] = sa.bindparam("after_key", type_=sa.Double())
        after_id = sa.bindparam("after_id", type_=sa.String())
        ranked = ranked.where(
            after_position(rank(candidates.c.vector), candidates.c.id, after_key, after_id)
        )
    page = (
        ranked.order_by(sa.desc("rank"), candidates.c.id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer()))
        .subquery("page")
    )
    return (
        sa.select(*CARD, page.c.rank)
        .select_from(
            page.join(PATTERNS, PATTERNS.c.id == page.c.id).join(
                USERS, USERS.c.id == PATTERNS.c.creator_id
            )
        )
        .order_by(page.c.rank.desc(), PATTERNS.c.id.desc())
    )


def _candidates(match: ColumnElement[Any], viewer: ColumnElement[str] | None) -> Any:
    """The MAX_CANDIDATES most trending visible matches, as a CTE of (id, vector)."""
    top = (
        sa.select(PATTERNS.c.id, _VECTOR.label("vector"))
        .where(public_to(viewer))
        .order_by(TRENDING.desc(), PATTERNS.c.id.desc())
        .limit(_WALK_ROWS)
        .subquery("top")
    )
    walk = (
        sa.select(top.c.id, top.c.vector)
        .where(_matches(top.c.vector, match))
        .limit(_CANDIDATES)
        .cte("walk")
        .prefix_with("MATERIALIZED")
    )
    walked = sa.select(sa.func.count()).select_from(walk).scalar_subquery()
    # every match (the GIN index), materialized so that the planner cannot turn it back into a
    # walk of the whole trending index; run only when the walk fell short
    matches = (
        sa.select(PATTERNS.c.id, _VECTOR.label("vector"), TRENDING.label("trending"))
        .where(_matches(_VECTOR, match), public_to(viewer), walked < _CANDIDATES)
        .cte("matches")
        .prefix_with("MATERIALIZED")
    )
    most_trending = (
        sa.select(matches.c.id, matches.c.vector)
        .order_by(matches.c.trending.desc(), matches.c.id.desc())
        .limit(_CANDIDATES)
    )
    found = sa.select(walk.c.id, walk.c.vector).where(walked == _CANDIDATES)
    return sa.union_all(found, most_trending.subquery().select()).cte("candidates")


def _rank(*, typos: bool) -> Rank:
    """ts_rank weighs title over tags over description; an exact word counts double a near one."""

    def rank(vector: ColumnElement[Any]) -> ColumnElement[float]:
        relevance = 2 * sa.func.ts_rank(vector, _tsquery("exact"))
        if typos:
            relevance = relevance + sa.func.ts_rank(vector, _tsquery("typos"))
        return sa.cast(relevance, sa.Double())

    return rank


def quoted(word: str) -> str:
    """`word` as the inside of a quoted tsquery lexeme."""
    return word.replace("'", "''").replace("\\", "\\\\")


def _matches(vector: ColumnElement[Any], query: ColumnElement[Any]) -> ColumnElement[bool]:
    return vector.op("@@", is_comparison=True)(query)


def _tsquery(name: str) -> ColumnElement[Any]:
    value = sa.bindparam(name, type_=sa.Text())
    parsed = sa.func.to_tsquery(sa.literal_column("'english'::regconfig"), value)
    # a subquery, so that it is parsed once per search: in a generic plan a bare to_tsquery of
    # a parameter is not folded into a constant and would be parsed again for every row
    return sa.select(parsed).scalar_subquery()
