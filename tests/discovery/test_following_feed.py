"""The following feed follows every change of follows and patterns.

On PostgreSQL it is read from `following_feed` (migration 0010), kept by triggers; these tests
hold both dialects to the same answers, and on PostgreSQL compare the table with what it is
derived from after concurrent follows and new patterns.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.patterns.service import insert_pattern
from notalabel.social.models import Follow
from tests.conftest import PG_URL
from tests.discovery.factories import delete_pattern, make_pattern, pattern_row, update_pattern
from tests.discovery.helpers import every_page, ids
from tests.users.factories import make_artist

FOLLOWING = "/api/feeds/following"
FOLLOWS: sa.Table = Follow.__table__  # type: ignore[assignment]


async def test_a_follow_brings_the_artists_patterns_and_each_change_shows(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    older = await make_pattern(container, bo.user.id, "Older", age=timedelta(hours=2))
    newer = await make_pattern(container, bo.user.id, "Newer", age=timedelta(hours=1))
    hidden = await make_pattern(container, bo.user.id, "Hidden", is_public=False)
    assert await ids(client, FOLLOWING, ana.headers) == []

    await container.social.follow(ana.user.id, bo.user.id)  # patterns made before the follow
    assert await ids(client, FOLLOWING, ana.headers) == [newer, older]
    fresh = await make_pattern(container, bo.user.id, "Fresh")  # and after it
    assert await ids(client, FOLLOWING, ana.headers) == [fresh, newer, older]

    await update_pattern(container, hidden, is_public=True)
    await update_pattern(container, fresh, is_public=False)
    assert await ids(client, FOLLOWING, ana.headers) == [hidden, newer, older]
    # re-dated: the feed's order and cursors follow the pattern's own time
    await update_pattern(container, older, created_at=utcnow() + timedelta(minutes=1))
    walked, _ = await every_page(client, FOLLOWING, ana.headers, limit=1)
    assert walked == [older, hidden, newer]
    await delete_pattern(container, newer)
    assert await ids(client, FOLLOWING, ana.headers) == [older, hidden]

    await container.social.unfollow(ana.user.id, bo.user.id)
    assert await ids(client, FOLLOWING, ana.headers) == []
    await container.social.follow(ana.user.id, bo.user.id)
    assert await ids(client, FOLLOWING, ana.headers) == [older, hidden]
    await container.social.block(bo.user.id, ana.user.id)  # a block ends the follow
    await container.social.unblock(bo.user.id, ana.user.id)
    assert await ids(client, FOLLOWING, ana.headers) == []


async def test_a_deleted_account_leaves_its_followers_feeds(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    await container.social.follow(ana.user.id, bo.user.id)
    await container.social.follow(ana.user.id, cy.user.id)
    await container.social.follow(bo.user.id, cy.user.id)
    bo_pattern = await make_pattern(container, bo.user.id, "Bo")
    cy_pattern = await make_pattern(container, cy.user.id, "Cy", age=timedelta(minutes=1))
    assert await ids(client, FOLLOWING, ana.headers) == [bo_pattern, cy_pattern]

    await container.erasure.delete(bo.user.id)  # a followed artist and a follower at once
    assert await ids(client, FOLLOWING, ana.headers) == [cy_pattern]
    assert await _feed_rows(container) == await _derived_rows(container)


@pytest.mark.skipif(PG_URL is None, reason="the following_feed table is PostgreSQL's")
async def test_the_table_matches_follows_and_patterns_after_concurrent_changes(
    container: Container,
) -> None:
    artists = [await make_artist(container, f"Artist {n}") for n in range(6)]
    for artist in artists[:3]:
        await make_pattern(container, artist.user.id, "Before", age=timedelta(hours=1))

    async def follow_all(fan_index: int) -> None:
        fan = artists[fan_index]
        for artist in artists:
            if artist is not fan:
                await container.social.follow(fan.user.id, artist.user.id)

    async def make_some(artist_index: int) -> None:
        for n in range(3):
            await make_pattern(container, artists[artist_index].user.id, f"New {n}")

    # follows and new patterns of the same artists, committed while the others run
    await asyncio.gather(*(follow_all(i) for i in range(3)), *(make_some(i) for i in range(6)))
    rows = await _feed_rows(container)
    assert rows == await _derived_rows(container)
    assert len(rows) == 3 * (5 * 3 + 2)  # 3 fans, 5 others each with 3 new, 2 of them 1 old

    for fan in artists[:2]:
        await container.social.unfollow(fan.user.id, artists[5].user.id)
    assert await _feed_rows(container) == await _derived_rows(container)


@pytest.mark.skipif(PG_URL is None, reason="the following_feed table is PostgreSQL's")
@pytest.mark.parametrize("first", ["pattern", "follow"])
async def test_a_follow_and_a_new_pattern_committed_together_both_land(
    container: Container, first: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    row = pattern_row(bo.user.id, "Race")
    follow_row = {"follower_id": ana.user.id, "followee_id": bo.user.id, "created_at": utcnow()}

    def save_pattern(conn: Connection) -> None:
        insert_pattern(conn, row)

    def save_follow(conn: Connection) -> None:
        conn.execute(sa.insert(FOLLOWS).values(follow_row))

    steps = [save_pattern, save_follow] if first == "pattern" else [save_follow, save_pattern]
    engine = container.db.engine
    async with engine.connect() as one, engine.connect() as two:
        await one.run_sync(steps[0])  # its transaction stays open
        second = asyncio.create_task(two.run_sync(steps[1]))
        await asyncio.sleep(0.3)  # the second waits for the artist's lock
        assert not second.done()
        await one.commit()
        await asyncio.wait_for(second, timeout=10)
        await two.commit()
    assert await _feed_rows(container) == {(ana.user.id, row["id"])}


async def _feed_rows(container: Container) -> set[tuple[str, str]]:
    """(follower, pattern) of every following_feed row; on SQLite, the derived set."""
    if PG_URL is None:
        return await _derived_rows(container)

    def read(conn: Connection) -> set[tuple[str, str]]:
        query = sa.text("SELECT follower_id, pattern_id FROM following_feed")
        return {(str(a), str(b)) for a, b in conn.execute(query)}

    return await container.db.run(read)


async def _derived_rows(container: Container) -> set[tuple[str, str]]:
    """(follower, pattern) for each public pattern of each followed artist."""

    def read(conn: Connection) -> set[tuple[str, str]]:
        query = sa.text(
            "SELECT f.follower_id, p.id FROM follows f "
            "JOIN patterns p ON p.creator_id = f.followee_id WHERE p.is_public"
        )
        return {(str(a), str(b)) for a, b in conn.execute(query)}

    return await container.db.run(read)
