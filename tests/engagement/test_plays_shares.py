"""Plays count once per listener per pattern per 10 minutes; shares count and link."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.engagement.counters import LISTENS, PLAY_WINDOW
from notalabel.engine.pattern import share_url
from notalabel.patterns.events import PatternPlayed
from tests.engagement.factories import (
    CODE,
    block,
    make_pattern,
    pattern_counters,
    recorder,
    rows,
)
from tests.users.factories import make_artist

From = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


def play_url(pattern_id: str) -> str:
    return f"/api/patterns/{pattern_id}/play"


@pytest.fixture
def from_ip(settings: Settings, container: Container) -> From:
    """An HTTP client whose requests come from the given address."""
    app = create_app(settings, container)

    @asynccontextmanager
    async def connect(ip: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(ip, 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http

    return connect


async def age_listens(container: Container, by: timedelta) -> None:
    """Move every counted play back in time, as if `by` had passed."""

    def move(conn: Connection) -> None:
        for pattern_id, listener, at in conn.execute(select(LISTENS)).all():
            key = (LISTENS.c.pattern_id == pattern_id) & (LISTENS.c.listener == listener)
            conn.execute(update(LISTENS).where(key).values(counted_at=at - by))

    await container.db.run(move)


async def test_a_listener_counts_once_per_ten_minutes(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, ana.user.id)
    seen = recorder(container, PatternPlayed)

    first = await client.post(play_url(pattern), headers=bo.headers)
    again = await client.post(play_url(pattern), headers=bo.headers)
    assert first.json() == {"counted": True, "plays": 1}
    assert again.json() == {"counted": False, "plays": 1}

    await age_listens(container, PLAY_WINDOW - timedelta(seconds=5))
    assert (await client.post(play_url(pattern), headers=bo.headers)).json()["counted"] is False
    await age_listens(container, timedelta(seconds=5))
    later = await client.post(play_url(pattern), headers=bo.headers)
    assert later.json() == {"counted": True, "plays": 2}

    assert await rows(container, "listens", pattern_id=pattern) == 1
    assert [(e.listener_id, e.plays) for e in seen if isinstance(e, PatternPlayed)] == [
        (bo.user.id, 1),
        (bo.user.id, 2),
    ]
    assert all(isinstance(e, PatternPlayed) and e.creator_id == ana.user.id for e in seen)


async def test_each_pattern_and_each_listener_counts_apart(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    one = await make_pattern(container, ana.user.id)
    two = await make_pattern(container, ana.user.id)

    await client.post(play_url(one), headers=bo.headers)
    await client.post(play_url(two), headers=bo.headers)
    await client.post(play_url(one), headers=ana.headers)

    assert (await pattern_counters(container, one))["plays"] == 2
    assert (await pattern_counters(container, two))["plays"] == 1


async def test_anonymous_listeners_count_by_address_without_storing_it(
    container: Container, from_ip: From
) -> None:
    ana = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, ana.user.id)
    seen = recorder(container, PatternPlayed)

    async with from_ip("203.0.113.7") as first, from_ip("198.51.100.9") as second:
        assert (await first.post(play_url(pattern))).json() == {"counted": True, "plays": 1}
        assert (await first.post(play_url(pattern))).json() == {"counted": False, "plays": 1}
        assert (await second.post(play_url(pattern))).json() == {"counted": True, "plays": 2}

    listener = container.engagement.listener(None, "203.0.113.7")
    assert listener.startswith("anon_")
    assert "203.0.113.7" not in listener
    assert listener != container.engagement.listener(None, "198.51.100.9")
    assert await rows(container, "listens", listener=listener) == 1
    assert [e.listener_id for e in seen if isinstance(e, PatternPlayed)] == [None, None]


async def test_plays_of_hidden_patterns_are_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    private = await make_pattern(container, ana.user.id, is_public=False)
    public = await make_pattern(container, ana.user.id)
    await block(client, ana, bo)

    assert (await client.post(play_url(private))).status_code == 404
    assert (await client.post(play_url(public), headers=bo.headers)).status_code == 404
    assert (await client.post(play_url("pat_nope"))).status_code == 404
    assert await rows(container, "listens") == 0


async def test_a_share_counts_and_hands_back_the_strudel_link(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, ana.user.id)
    private = await make_pattern(container, ana.user.id, is_public=False)

    first = await client.post(f"/api/patterns/{pattern}/share")
    second = await client.post(f"/api/patterns/{pattern}/share", headers=bo.headers)

    assert first.status_code == 200, first.text
    assert first.json() == {"shares": 1, "shareUrl": share_url(CODE)}
    assert second.json()["shares"] == 2
    assert (await client.post(f"/api/patterns/{private}/share")).status_code == 404
    assert (await pattern_counters(container, pattern))["shares"] == 2
