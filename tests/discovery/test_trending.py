"""The trending feed: the stored score, its order, its pages and the formula behind it."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.discovery.tables import PATTERNS
from notalabel.discovery.tables import TRENDING as SCORE
from notalabel.discovery.trending import EPOCH, trending_now, trending_score
from tests.discovery.factories import make_pattern, update_pattern
from tests.discovery.helpers import every_page, ids
from tests.users.factories import make_artist

TRENDING = "/api/feeds/trending"


async def stored(container: Container, pattern_id: str) -> tuple[float, dict[str, Any]]:
    """The stored score of a pattern and the columns it is made of."""
    columns = [PATTERNS.c[name] for name in ("likes", "plays", "remixes", "comments", "created_at")]

    def work(conn: Connection) -> tuple[float, dict[str, Any]]:
        query = sa.select(SCORE, *columns).where(PATTERNS.c.id == pattern_id)
        row = conn.execute(query).one()
        return float(row[0]), {c.name: value for c, value in zip(columns, row[1:], strict=True)}

    return await container.db.read(work)


def test_the_formula_ranks_as_the_decayed_engagement_at_any_moment() -> None:
    now = utcnow()
    patterns: list[dict[str, Any]] = [
        {"likes": 5, "plays": 0, "remixes": 0, "comments": 0, "created_at": now},
        {
            "likes": 50,
            "plays": 10,
            "remixes": 1,
            "comments": 0,
            "created_at": now - timedelta(days=5),
        },
        {
            "likes": 0,
            "plays": 3,
            "remixes": 0,
            "comments": 2,
            "created_at": now - timedelta(hours=7),
        },
        {
            "likes": 1,
            "plays": 0,
            "remixes": 2,
            "comments": 0,
            "created_at": now - timedelta(days=1),
        },
    ]
    by_score = sorted(range(4), key=lambda i: trending_score(**patterns[i]))
    for later in (timedelta(0), timedelta(hours=3), timedelta(days=20)):
        by_decay = sorted(
            range(4),
            key=lambda i: trending_now(**patterns[i], now=now + later),
        )
        assert by_decay == by_score
    # one day of age halves the weight: twice the engagement a day older ties
    today = trending_score(likes=0, plays=3, remixes=0, comments=0, created_at=now)
    yesterday = trending_score(
        likes=0, plays=7, remixes=0, comments=0, created_at=now - timedelta(days=1)
    )
    assert today == pytest.approx(yesterday)


async def test_the_database_keeps_the_score_as_the_formula_says(container: Container) -> None:
    ana = await make_artist(container, "Ana Beats")
    pid = await make_pattern(container, ana.user.id, age=timedelta(days=2, hours=3))
    score, row = await stored(container, pid)
    # SQLite counts time in Julian days: equal to a few milliseconds
    assert score == pytest.approx(trending_score(**row), abs=1e-6)

    await update_pattern(container, pid, likes=7, plays=30, remixes=2, comments=4)
    score, row = await stored(container, pid)
    assert row["likes"] == 7
    # written out: log2(3·7 + 30 + 5·2 + 2·4 + 1) plus the days from 2026-01-01 to creation
    days = (row["created_at"] - EPOCH).total_seconds() / 86400
    assert score == pytest.approx(math.log2(70) + days, abs=1e-6)


async def test_a_liked_recent_pattern_trends_above_an_old_popular_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    old = await make_pattern(container, ana.user.id, "Old hit", age=timedelta(days=10), likes=50)
    fresh = await make_pattern(container, ana.user.id, "Fresh", age=timedelta(hours=2))
    quiet = await make_pattern(container, ana.user.id, "Quiet", age=timedelta(hours=1))

    assert await ids(client, TRENDING) == [quiet, fresh, old]
    # engagement moves a pattern at once: the triggers recompute its score
    await update_pattern(container, fresh, likes=5, comments=1)
    assert await ids(client, TRENDING) == [fresh, quiet, old]
    # ten days old: it needs 2^10 times the engagement of a fresh one
    await update_pattern(container, old, remixes=5000)
    assert (await ids(client, TRENDING))[0] == old


async def test_trending_pages_without_duplicates_and_with_filters(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    same = utcnow() - timedelta(hours=4)
    # equal scores: the id settles the order
    tied = [await make_pattern(container, ana.user.id, f"T{i}", created_at=same) for i in range(3)]
    liked = [
        await make_pattern(
            container, ana.user.id, f"L{i}", genre="techno", tags=["rain"], likes=i + 1
        )
        for i in range(3)
    ]
    blocked = await make_pattern(container, bo.user.id, "Bo's", likes=100)
    await container.social.block(bo.user.id, ana.user.id)

    walked, _ = await every_page(client, TRENDING, ana.headers, limit=2)
    assert walked == liked[::-1] + sorted(tied, reverse=True)
    assert blocked not in walked
    assert await ids(client, TRENDING, genre="techno", limit=2) == liked[:0:-1]
    techno, _ = await every_page(client, TRENDING, genre="techno", limit=1)
    assert techno == liked[::-1]
    tagged, _ = await every_page(client, TRENDING, ana.headers, tag="rain", limit=2)
    assert tagged == liked[::-1]
