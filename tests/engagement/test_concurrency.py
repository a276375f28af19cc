"""Counters stay exact when requests race: many artists at once, or one artist many times.

On PostgreSQL every racing unit of work runs on its own pooled connection, and a barrier
holds each one just before its conditional write until a whole group is there, so the writes
really overlap. SQLite runs one writer at a time: the same races run there without the barrier
(in effect sequentially) and must give the same counts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.util import await_only

from notalabel.container import Container
from notalabel.patterns.events import PatternLiked, PatternPlayed
from tests.engagement.factories import (
    comment_likes,
    make_pattern,
    pattern_counters,
    recorder,
    rows,
)
from tests.social.helpers import make_users
from tests.users.factories import make_artist

# the test database's pool size: a group larger than this could never meet at the barrier
GROUP = 10


@contextmanager
def overlapping(container: Container, table: str, group: int) -> Iterator[list[int]]:
    """Make every INSERT into `table` wait until `group` of them are ready (PostgreSQL)."""
    passed: list[int] = []
    if container.db.is_sqlite:
        yield passed
        return
    barrier = asyncio.Barrier(group)
    engine = container.db.engine.sync_engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(f"INSERT INTO {table.upper()}"):
            # runs in the unit of work's greenlet: await the barrier from sync code
            await_only(asyncio.wait_for(barrier.wait(), timeout=20))
            passed.append(1)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield passed
    finally:
        event.remove(engine, "before_cursor_execute", before)


async def race(calls: list[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """Start every call at once and wait for all of them."""
    return await asyncio.gather(*(call() for call in calls))


def expect_overlap(container: Container, passed: list[int], count: int) -> None:
    if not container.db.is_sqlite:
        assert len(passed) == count, "the writes did not all meet at the barrier"


async def test_a_hundred_artists_liking_at_once_give_a_hundred_likes(
    container: Container,
) -> None:
    creator = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, creator.user.id)
    fans = await make_users(container, 100, "Fan")
    seen = recorder(container, PatternLiked)

    with overlapping(container, "pattern_likes", GROUP) as passed:
        states = await race([lambda f=f: container.engagement.like(f.id, pattern) for f in fans])

    expect_overlap(container, passed, 100)
    assert all(s.liked for s in states)
    assert sorted(s.likes for s in states)[-1] == 100
    assert (await pattern_counters(container, pattern))["likes"] == 100
    assert await rows(container, "likes", pattern_id=pattern) == 100
    assert len(seen) == 100


async def test_one_artist_liking_ten_times_at_once_counts_once(container: Container) -> None:
    creator = await make_artist(container, "Ana Beats")
    fan = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, creator.user.id)
    seen = recorder(container, PatternLiked)

    with overlapping(container, "pattern_likes", GROUP) as passed:
        states = await race([lambda: container.engagement.like(fan.user.id, pattern)] * 10)

    expect_overlap(container, passed, 10)
    assert {(s.liked, s.likes) for s in states} == {(True, 1)}
    assert (await pattern_counters(container, pattern))["likes"] == 1
    assert await rows(container, "likes", pattern_id=pattern) == 1
    assert len(seen) == 1


async def test_unlikes_racing_likes_leave_the_counter_equal_to_the_rows(
    container: Container,
) -> None:
    creator = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, creator.user.id)
    fans = await make_users(container, 20, "Fan")
    for fan in fans[:10]:
        await container.engagement.like(fan.id, pattern)

    engagement = container.engagement
    calls = [lambda f=f: engagement.unlike(f.id, pattern) for f in fans[:10]]
    calls += [lambda f=f: engagement.like(f.id, pattern) for f in fans[10:]]
    await race(calls)

    assert (await pattern_counters(container, pattern))["likes"] == 10
    assert await rows(container, "likes", pattern_id=pattern) == 10


async def test_comment_likes_stay_exact_under_races(container: Container) -> None:
    creator = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, creator.user.id)
    note = await container.engagement.add_comment(creator.user.id, pattern, "first!")
    fans = await make_users(container, 100, "Fan")
    engagement = container.engagement

    with overlapping(container, "comment_likes", GROUP) as passed:
        await race([lambda f=f: engagement.like_comment(f.id, note.id) for f in fans])
    expect_overlap(container, passed, 100)
    with overlapping(container, "comment_likes", GROUP) as passed:
        again = await race([lambda: engagement.like_comment(creator.user.id, note.id)] * 10)
    expect_overlap(container, passed, 10)

    assert {s.likes for s in again} == {101}
    assert await comment_likes(container, note.id) == 101
    assert await rows(container, "comment_likes", comment_id=note.id) == 101


@pytest.mark.parametrize("listeners", [100, 1])
async def test_plays_racing_count_once_per_listener(container: Container, listeners: int) -> None:
    creator = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, creator.user.id)
    fans = await make_users(container, listeners, "Fan")
    seen = recorder(container, PatternPlayed)
    engagement = container.engagement
    # 100 listeners once each, or one listener 10 times
    who = [f.id for f in fans] if listeners > 1 else [fans[0].id] * 10

    with overlapping(container, "pattern_listens", GROUP) as passed:
        states = await race([lambda u=u: engagement.play(pattern, u, "") for u in who])

    expect_overlap(container, passed, len(who))
    assert sum(s.counted for s in states) == listeners
    assert (await pattern_counters(container, pattern))["plays"] == listeners
    assert await rows(container, "listens", pattern_id=pattern) == listeners
    assert len(seen) == listeners
