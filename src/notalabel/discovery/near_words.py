"""Typo tolerance on PostgreSQL: the stored words within one typo of a query word (pg_trgm).

Looking them up was a round trip of its own before every search; the same words are searched
again and again, and the vocabulary grows slowly, so each word's near words are remembered
for a minute. A word saved within that minute is found exactly at once, and as the near word
of a typo once the minute is over.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

# pg_trgm similarity from which a stored word counts as a typo of a query word (0.3, pg_trgm's
# default, takes "train" for "rain"): a missing, extra or wrong letter in a word of six or more
# letters stays above it, swapped letters do not
TRIGRAM_THRESHOLD = 0.4
MIN_FUZZY_LENGTH = 4
NEAR_WORDS = 3
REMEMBERED_SECONDS = 60.0
REMEMBERED_WORDS = 10_000


def fuzzy_words(words: list[str]) -> list[str]:
    """The query words long enough to have typos worth looking for."""
    return [w for w in words if len(w) >= MIN_FUZZY_LENGTH and not w.isdigit()]


def look_up(conn: Connection, words: list[str], schema: str) -> dict[str, list[str]]:
    """Up to NEAR_WORDS stored words within one typo of each of `words`, nearest first."""
    if not words:
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
    for word, other in conn.execute(query, {"words": words}):
        near.setdefault(word, []).append(other)
    return near


class NearWords:
    """Each query word's near words, looked up once a minute at most (per process)."""

    def __init__(
        self,
        *,
        seconds: float = REMEMBERED_SECONDS,
        kept: int = REMEMBERED_WORDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._seconds = seconds
        self._kept = kept
        self._clock = clock
        # word -> (until, its near words); insertion order is age order
        self._known: dict[str, tuple[float, list[str]]] = {}

    def of(self, conn: Connection, words: list[str], schema: str) -> dict[str, list[str]]:
        """The near words of each of `words` that has any, from memory or looked up."""
        now = self._clock()
        near: dict[str, list[str]] = {}
        missing: list[str] = []
        for word in fuzzy_words(words):
            known = self._known.get(word)
            if known is not None and now < known[0]:
                if known[1]:
                    near[word] = known[1]
            else:
                missing.append(word)
        if missing:
            found = look_up(conn, missing, schema)
            for word in missing:
                self._remember(word, now + self._seconds, found.get(word, []))
            near |= found
        return near

    def _remember(self, word: str, until: float, near: list[str]) -> None:
        self._known.pop(word, None)
        while len(self._known) >= self._kept:
            # the oldest entry goes (dicts keep insertion order)
            self._known.pop(next(iter(self._known)))
        self._known[word] = (until, near)
