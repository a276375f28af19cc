"""Filling PostgreSQL for the library benchmark: artists, patterns, likes, comments, follows.

Everything is one INSERT ... SELECT generate_series per table, straight into the app's tables.
Ids are md5 of the row number (same shape as the app's uuid hex), so every statement can name
any other row without a lookup. The pattern triggers of migration 0008 stay on: they fill
pattern_tags and search_words and compute trending_score exactly as the app does.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

import asyncpg  # type: ignore[import-untyped]

from notalabel.engine.vocabulary import Genre, Mood

from .common import say

INSTRUMENTS = (
    "piano", "bass", "drums", "synth", "guitar", "strings", "pads", "vocals", "flute", "bells",
    "organ", "brass", "claps", "hats", "kick", "choir", "marimba", "sax", "cello", "arp",
)  # fmt: skip
ADJECTIVES = (
    "midnight", "golden", "velvet", "neon", "rainy", "sunny", "frozen", "electric", "lazy",
    "cosmic", "urban", "ocean", "desert", "forest", "crystal", "smoky", "hazy", "broken",
)  # fmt: skip
# a word of moderate selectivity: one instrument in twenty is in each pattern's title or tags
SEARCH_WORD = "marimba"
BULK_WITHOUT_CHECKS = ("likes", "comments")


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind."""

    artists: int = 10_000
    patterns: int = 100_000
    likes: int = 1_000_000
    comments: int = 200_000
    follows: int = 200


def sql_array(words: tuple[str, ...]) -> str:
    """A PostgreSQL text[] literal of plain words."""
    return "ARRAY[" + ",".join(f"'{w}'" for w in words) + "]::text[]"


def user_id(expr: str) -> str:
    """The SQL for the id of bulk artist number `expr`."""
    return f"'usr_' || md5('u' || ({expr})::text)"


def pattern_id(expr: str) -> str:
    """The SQL for the id of bulk pattern number `expr`."""
    return f"'pat_' || md5('p' || ({expr})::text)"


def bulk_pattern_id(number: int) -> str:
    """The id of bulk pattern `number`, as the SQL computes it."""
    return "pat_" + hashlib.md5(f"p{number}".encode()).hexdigest()


def statements(s: Sizes) -> list[tuple[str, str]]:
    """(what, SQL) in loading order."""
    genres = sql_array(tuple(g.value for g in Genre))
    moods = sql_array(tuple(m.value for m in Mood))
    instruments, adjectives = sql_array(INSTRUMENTS), sql_array(ADJECTIVES)
    n_g, n_m, n_i, n_a = len(Genre), len(Mood), len(INSTRUMENTS), len(ADJECTIVES)
    if s.likes > s.patterns * 10 or (s.artists < 10_000 and s.likes > s.patterns):
        raise ValueError("likes: at most 10 per pattern (and 10,000 artists for more than one)")
    per_pattern = -(-s.likes // s.patterns)
    return [
        (
            "artists",
            f"""
            INSERT INTO users (id, artist_name, artist_name_key, music_dna, signature_pattern,
                profile, preferences, failed_logins, created_at, updated_at)
            SELECT {user_id("g")}, 'BenchArtist' || g, 'benchartist' || g, '{{}}', '{{}}',
                '{{}}', '{{}}', 0, now() - interval '60 days', now() - interval '60 days'
            FROM generate_series(0, {s.artists - 1}) g""",
        ),
        (
            "patterns",
            f"""
            WITH r AS (
                SELECT g, ({genres})[1 + g % {n_g}] AS genre,
                    ({moods})[1 + (g / {n_g}) % {n_m}] AS mood,
                    ({instruments})[1 + (g * 7) % {n_i}] AS i1,
                    ({instruments})[1 + (g * 13 + 3) % {n_i}] AS i2,
                    ({adjectives})[1 + (g * 11) % {n_a}] AS adj
                FROM generate_series(0, {s.patterns - 1}) g)
            INSERT INTO patterns (id, creator_id, title, description, strudel_code, model, bpm,
                key, genre, mood, tags, is_signature, is_public, is_remixable, likes, plays,
                shares, created_at, updated_at, ai_generated, difficulty, version, comments,
                remixes, time_signature)
            SELECT {pattern_id("g")}, {user_id(f"g % {s.artists}")},
                initcap(adj) || ' ' || initcap(i1) || ' ' || genre,
                'A ' || mood || ' ' || genre || ' groove with ' || i1 || ' and ' || i2,
                's("bd ~ sd ~").bank("RolandTR909")', NULL, 70 + g % 90, 'C minor', genre, mood,
                jsonb_build_array(genre, mood, i2), false, g % 20 <> 0, true,
                0, (g * 37) % 500, 0, now() - make_interval(secs => g * 25.0), now(), false,
                1 + g % 10, 1, 0, 0, '4/4'
            FROM r""",
        ),
        # pattern p gets `per_pattern` likes from distinct artists: k * 1000 differs mod 10,000
        (
            "likes",
            f"""
            INSERT INTO pattern_likes (pattern_id, user_id, created_at)
            SELECT {pattern_id(f"g % {s.patterns}")},
                {user_id(f"((g % {s.patterns}) * 31 + (g / {s.patterns}) * 1000) % {s.artists}")},
                now() - make_interval(secs => (g % 86400)::float)
            FROM generate_series(0, {min(s.likes, s.patterns * per_pattern) - 1}) g
            ORDER BY 1, 2""",
        ),
        (
            "comments",
            f"""
            INSERT INTO comments (id, pattern_id, author_id, body, likes, created_at)
            SELECT 'cmt_' || md5('c' || g::text), {pattern_id(f"(g * 7) % {s.patterns}")},
                {user_id(f"(g * 13) % {s.artists}")},
                'Love the ' || ({instruments})[1 + g % {n_i}] || ' here, comment ' || g, 0,
                now() - make_interval(secs => (g * 3)::float)
            FROM generate_series(0, {s.comments - 1}) g""",
        ),
        # one pass over patterns for both counters: each update rewrites the row and its indexes
        (
            "counters",
            """
            UPDATE patterns p SET likes = coalesce(l.n, 0), comments = coalesce(c.n, 0)
            FROM patterns q
            LEFT JOIN (SELECT pattern_id, count(*) AS n FROM pattern_likes GROUP BY pattern_id) l
                ON l.pattern_id = q.id
            LEFT JOIN (SELECT pattern_id, count(*) AS n FROM comments GROUP BY pattern_id) c
                ON c.pattern_id = q.id
            WHERE p.id = q.id""",
        ),
    ]


async def fill(url: str, sizes: Sizes) -> float:
    """Load every table and ANALYZE; the seconds it took."""
    started = time.monotonic()
    conn = await asyncpg.connect(url)
    try:
        for what, sql in statements(sizes):
            t0 = time.monotonic()
            # likes and comments point only at rows made just before: their foreign-key checks
            # (triggers, off in replica mode) would double the load time and find nothing
            role = "replica" if what in BULK_WITHOUT_CHECKS else "origin"
            await conn.execute(f"SET session_replication_role = {role}")
            await conn.execute(sql)
            say(f"  {what}: {time.monotonic() - t0:.1f} s")
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return time.monotonic() - started


async def follow(url: str, follower: str, count: int) -> None:
    """`follower` (an artist made through the API) follows the first `count` bulk artists."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            f"INSERT INTO follows (follower_id, followee_id, created_at) "
            f"SELECT $1, {user_id('g')}, now() FROM generate_series(0, $2 - 1) g",
            follower,
            count,
        )
        await conn.execute("ANALYZE follows")
    finally:
        await conn.close()


async def user_ids(url: str, names: list[str]) -> dict[str, str]:
    """Artist name → id for the artists made through the API."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT artist_name, id FROM users WHERE artist_name = ANY($1)", names
        )
    finally:
        await conn.close()
    return {row["artist_name"]: row["id"] for row in rows}
