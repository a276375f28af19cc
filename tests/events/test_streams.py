"""Production delivery through a Redis stream with one consumer group per handler.

Two relays stand for two workers: each has its own consumer name on the same stream, as two
`notalabel serve` processes do. tests/realtime/test_two_workers.py repeats the main paths with
real worker processes.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from redis.asyncio import Redis

from notalabel.db import Database
from notalabel.events import MessageBus, outbox, streams
from notalabel.events.deadletters import StreamDeadLetters
from notalabel.events.relay import OutboxRelay
from notalabel.events.stream_entries import entry_fields, handler_stream
from notalabel.events.streams import EventStreams
from tests.conftest import REDIS_URL, delete_event_streams
from tests.events.test_outbox import Seen, SomethingHappened, stage

pytestmark = pytest.mark.skipif(REDIS_URL is None, reason="needs Redis (NAL_TEST_REDIS_URL)")


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    assert REDIS_URL is not None
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


@pytest.fixture
async def stream(redis: Redis) -> AsyncIterator[str]:
    name = f"test:{uuid.uuid4().hex[:16]}:events"
    yield name
    await delete_event_streams(redis, name)


class Worker:
    """One worker's bus, relay and stream consumer, with handlers that remember."""

    def __init__(
        self,
        database: Database,
        redis: Redis,
        stream: str,
        *,
        retry: float = 0.0,
        attempts: int = 5,
    ) -> None:
        self.bus = MessageBus()
        self.seen = Seen()
        self.other = Seen()
        self.bus.subscribe(SomethingHappened, self.seen, name="tests.seen")
        self.bus.subscribe(SomethingHappened, self.other, name="tests.other")
        self.streams = EventStreams(
            redis, self.bus, stream=stream, max_attempts=attempts,
            retry_base=timedelta(seconds=retry),
        )  # fmt: skip
        self.relay = OutboxRelay(
            database, self.bus, streams=self.streams, max_attempts=attempts,
            retry_base=timedelta(seconds=retry),
        )  # fmt: skip


async def test_each_handler_group_sees_each_event_once_across_workers(
    database: Database, redis: Redis, stream: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # small reads, so that both workers' pumps take turns at the stream
    monkeypatch.setattr(streams, "BATCH", 10)
    a, b = Worker(database, redis, stream), Worker(database, redis, stream)
    events = [SomethingHappened(value=n) for n in range(200)]
    await stage(database, a.bus, *events[:100])
    await stage(database, b.bus, *events[100:])
    await asyncio.gather(a.relay.deliver_due(), b.relay.deliver_due(), a.streams.pump())
    await asyncio.gather(a.streams.pump(), b.streams.pump())
    for handler in ("seen", "other"):
        got = getattr(a, handler).values + getattr(b, handler).values
        assert sorted(got) == list(range(200)), handler
    assert a.seen.values
    assert b.seen.values
    rows = await database.read(lambda c: c.execute(sa.select(outbox.OUTBOX.c.pending)).all())
    assert {tuple(r.pending) for r in rows} == {()}  # handed on whole
    for group in ("tests.seen", "tests.other"):
        assert (await redis.xpending(handler_stream(stream, group), group))["pending"] == 0


async def test_a_request_s_own_events_are_handled_before_deliver_returns(
    database: Database, redis: Redis, stream: str
) -> None:
    worker = Worker(database, redis, stream)
    event = SomethingHappened(value=3)
    await stage(database, worker.bus, event)
    await worker.bus.deliver([event])
    assert (worker.seen.values, worker.other.values) == ([3], [3])


async def test_a_failing_handler_is_retried_with_backoff_and_the_other_group_runs_once(
    database: Database, redis: Redis, stream: str
) -> None:
    worker = Worker(database, redis, stream, retry=0.2)
    worker.seen.failures = 2
    await stage(database, worker.bus, SomethingHappened(value=7))
    await worker.relay.deliver_due()
    assert (worker.seen.values, worker.other.values) == ([], [7])
    assert await worker.streams.retry_due() == 0  # not idle for 0.2 s yet
    await asyncio.sleep(0.25)
    assert await worker.streams.retry_due() == 1  # second try fails too: now 0.4 s
    await asyncio.sleep(0.25)
    assert await worker.streams.retry_due() == 0
    await asyncio.sleep(0.2)
    assert await worker.streams.retry_due() == 1
    assert (worker.seen.values, worker.other.values) == ([7], [7])
    assert (await redis.xpending(handler_stream(stream, "tests.seen"), "tests.seen"))[
        "pending"
    ] == 0


async def test_an_entry_a_dead_worker_held_is_claimed_by_another(
    database: Database, redis: Redis, stream: str
) -> None:
    dead, alive = Worker(database, redis, stream), Worker(database, redis, stream)
    await stage(database, dead.bus, SomethingHappened(value=5))
    await dead.relay._publish(dead.streams, await database.run(
        lambda conn: outbox.claim(conn, 10, timedelta(seconds=60))
    ))  # fmt: skip
    # the dead worker read the entry for one group and died before handling it
    seen = handler_stream(stream, "tests.seen")
    await redis.xreadgroup("tests.seen", dead.streams.consumer, {seen: ">"}, count=10)
    await alive.streams.pump()
    assert (alive.seen.values, alive.other.values) == ([], [5])
    await alive.streams.retry_due()
    assert alive.seen.values == [5]
    assert dead.seen.values == []


async def test_a_handler_that_keeps_failing_is_parked_then_replayed_for_it_alone(
    database: Database, redis: Redis, stream: str
) -> None:
    worker = Worker(database, redis, stream, attempts=3)
    worker.seen.failures = 3
    await stage(database, worker.bus, SomethingHappened(value=4))
    await worker.relay.deliver_due()
    for _ in range(3):
        await worker.streams.retry_due()
    letters = await StreamDeadLetters(redis, stream).list()
    assert [(d.name, d.handler, d.attempts, d.payload["value"]) for d in letters] == [
        ("SomethingHappened", "tests.seen", 3, 4)
    ]
    assert "boom" in letters[0].error
    seen = handler_stream(stream, "tests.seen")
    assert (await redis.xpending(seen, "tests.seen"))["pending"] == 0  # parked, not pending

    store = StreamDeadLetters(redis, stream)
    replayed = await store.replay(letters[0].id)
    assert replayed is not None
    assert replayed.replayed_at is None
    await worker.streams.pump()
    assert (worker.seen.values, worker.other.values) == ([4], [4])  # the other: not again
    assert await store.list() == []
    assert [d.replayed_at is not None for d in await store.list(include_replayed=True)] == [True]
    again = await store.replay(letters[0].id)
    assert again is not None
    assert again.replayed_at is not None
    await worker.streams.pump()
    assert worker.seen.values == [4]
    assert await store.replay("0-1") is None
    assert await store.replay("not an id") is None


async def test_redis_down_keeps_the_rows_in_the_outbox(database: Database, stream: str) -> None:
    unreachable = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    worker = Worker(database, unreachable, stream, retry=60)
    await stage(database, worker.bus, SomethingHappened(value=1))
    assert await worker.relay.deliver_due() == 1
    rows = await database.read(lambda c: c.execute(sa.select(outbox.OUTBOX)).all())
    assert [(list(r.pending), r.delivered_at) for r in rows] == [
        (["tests.seen", "tests.other"], None)
    ]
    assert await worker.relay.deliver_due() == 0  # offered again in a minute, not at once
    await unreachable.aclose()


async def test_forgetting_an_artist_removes_the_entries_that_name_them(
    database: Database, redis: Redis, stream: str
) -> None:
    worker = Worker(database, redis, stream)
    worker.seen.failures = 10
    await stage(database, worker.bus, SomethingHappened(value=1, tags=("user-gone",)))
    await stage(database, worker.bus, SomethingHappened(value=2, tags=("user-stays",)))
    await worker.relay.deliver_due()
    for _ in range(5):
        await worker.streams.retry_due()
    assert len(await StreamDeadLetters(redis, stream).list()) == 2
    # its entry in each handler's stream, and its dead letter
    assert await worker.streams.forget("user-gone", keep="UserDeleted") == 3
    left = [d.payload["tags"] for d in await StreamDeadLetters(redis, stream).list()]
    assert left == [["user-stays"]]
    for handler in ("tests.seen", "tests.other"):
        kept = [
            fields[b"payload"] for _, fields in await redis.xrange(handler_stream(stream, handler))
        ]
        assert len(kept) == 1
        assert b"user-stays" in kept[0]


async def test_a_stream_deleted_under_the_workers_is_made_again_with_its_groups(
    database: Database, redis: Redis, stream: str
) -> None:
    worker = Worker(database, redis, stream)
    await stage(database, worker.bus, SomethingHappened(value=1))
    await worker.relay.deliver_due()
    # an operator's mistake, or a Redis that lost its data
    await redis.delete(*(handler_stream(stream, h) for h in ("tests.seen", "tests.other")))
    await stage(database, worker.bus, SomethingHappened(value=2))
    await worker.relay.deliver_due()  # the groups are gone: this read fails and is logged
    assert await worker.streams.retry_due() == 0
    await worker.streams.pump()  # the next poll makes them again and reads from the start
    assert (worker.seen.values, worker.other.values) == ([1, 2], [1, 2])


async def test_entries_left_on_the_shared_stream_of_earlier_versions_are_delivered(
    database: Database, redis: Redis, stream: str
) -> None:
    # what a worker of the previous version did: a group per handler on the one stream, then
    # an entry for both handlers (published during a rolling deploy, not read yet)
    for group in ("tests.seen", "tests.other"):
        await redis.xgroup_create(stream, group, id="0", mkstream=True)
    event = SomethingHappened(value=9, tags=("user-old",))
    payload = event.to_json()["data"]
    fields = entry_fields(77, event.name, payload, ["tests.seen", "tests.other"])
    await redis.xadd(stream, fields)
    worker = Worker(database, redis, stream)
    worker.seen.failures = 1
    assert await worker.streams.retry_due() == 0  # a poll finds the old groups
    await worker.streams.pump()
    assert (worker.seen.values, worker.other.values) == ([], [9])
    assert await worker.streams.retry_due() == 1  # retried there too
    assert (worker.seen.values, worker.other.values) == ([9], [9])
    for group in ("tests.seen", "tests.other"):
        assert (await redis.xpending(stream, group))["pending"] == 0
    # erasure reaches it as well
    assert await worker.streams.forget("user-old", keep="UserDeleted") == 1
    assert await redis.xlen(stream) == 0
    # once an operator deletes it, the workers stop reading it and their own streams still work
    await redis.delete(stream)
    assert await worker.streams.retry_due() == 0
    await stage(database, worker.bus, SomethingHappened(value=10))
    await worker.relay.deliver_due()
    assert (worker.seen.values, worker.other.values) == ([9, 10], [9, 10])
