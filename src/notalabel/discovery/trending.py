"""The trending score: engagement with a one-day half-life, in a form that never goes stale.

    engagement = 3·likes + 1·plays + 5·remixes + 2·comments + 1
    trending   = engagement · 2^(-age in days)

Ranking by `trending` at any moment `now` is the same as ranking by

    score = log2(engagement) + (created_at - 2026-01-01) in days

because `trending = 2^score · 2^(-(now - 2026-01-01) in days)` and the second factor is the
same for every pattern. So the stored `patterns.trending_score` changes only when engagement
does (database triggers recompute it, migration 0008), never with the clock, and the feed is a
plain index scan. This module is the formula in Python; the triggers hold the same in SQL.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

LIKE_WEIGHT = 3
PLAY_WEIGHT = 1
REMIX_WEIGHT = 5
COMMENT_WEIGHT = 2
HALF_LIFE_HOURS = 24.0
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def engagement(*, likes: int, plays: int, remixes: int, comments: int) -> int:
    """The weighted engagement of a pattern, at least 1."""
    total = (
        LIKE_WEIGHT * likes
        + PLAY_WEIGHT * plays
        + REMIX_WEIGHT * remixes
        + COMMENT_WEIGHT * comments
        + 1
    )
    return max(total, 1)


def trending_score(
    *, likes: int, plays: int, remixes: int, comments: int, created_at: datetime
) -> float:
    """The stored, time-invariant score (higher trends more); see the module docstring."""
    value = engagement(likes=likes, plays=plays, remixes=remixes, comments=comments)
    hours = (created_at - EPOCH).total_seconds() / 3600
    return math.log2(value) + hours / HALF_LIFE_HOURS


def trending_now(
    *, likes: int, plays: int, remixes: int, comments: int, created_at: datetime, now: datetime
) -> float:
    """The decayed engagement at `now`: the quantity the stored score ranks by."""
    value = engagement(likes=likes, plays=plays, remixes=remixes, comments=comments)
    age_hours = (now - created_at).total_seconds() / 3600
    return float(value) * 2 ** (-age_hours / HALF_LIFE_HOURS)
