"""The outbox: events commit with their change, are delivered after it, and are never lost."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from notalabel.db import Database, utcnow
from notalabel.events import Event, MessageBus, UnknownEvent, event_from_json, outbox
from notalabel.events.relay import OutboxRelay
from notalabel.events.telemetry import HANDLER_FAILURES


@dataclass(frozen=True, kw_only=True)
class SomethingHappened(Event):
    value: int
    tags: tuple[str, ...] = ()


class Seen:
    """A handler that remembers what it saw (and fails while told to)."""

    def __init__(self, failures: int = 0) -> None:
        self.values: list[int] = []
        self.failures = failures

    async def __call__(self, event: SomethingHappened) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("boom")
        self.values.append(event.value)


def wired(database: Database, **relay: object) -> tuple[MessageBus, OutboxRelay, Seen]:
    bus = MessageBus()
    seen = Seen()
    bus.subscribe(SomethingHappened, seen, name="tests.seen")
    return bus, OutboxRelay(database, bus, **relay), seen  # type: ignore[arg-type]


async def stage(database: Database, bus: MessageBus, *events: Event) -> None:
    await database.run(lambda conn: bus.stage(conn, events))


async def rows(database: Database) -> list[sa.Row[tuple[int, str, object]]]:
    query = sa.select(outbox.OUTBOX.c.id, outbox.OUTBOX.c.name, outbox.OUTBOX.c.delivered_at)
    return list(await database.read(lambda conn: conn.execute(query).all()))


def test_events_round_trip_through_json() -> None:
    event = SomethingHappened(value=3, tags=("a", "b"))
    body = event.to_json()
    assert body["event"] == "SomethingHappened"
    assert event_from_json(body["event"], body["data"]) == event
    with pytest.raises(UnknownEvent):
        event_from_json("NothingHappened", {})
    with pytest.raises(AttributeError):
        event.value = 4  # type: ignore[misc]


async def test_staged_events_reach_their_handlers_in_order(database: Database) -> None:
    bus, _, seen = wired(database)
    events = [SomethingHappened(value=1), SomethingHappened(value=2)]
    await stage(database, bus, *events)
    await bus.deliver(events)
    assert seen.values == [1, 2]
    assert all(row.delivered_at is not None for row in await rows(database))


async def test_a_rolled_back_change_delivers_nothing(database: Database) -> None:
    bus, relay, seen = wired(database)

    def work(conn: sa.Connection) -> None:
        bus.stage(conn, [SomethingHappened(value=1)])
        raise ValueError("the change failed")

    with pytest.raises(ValueError, match="the change failed"):
        await database.run(work)
    assert await relay.deliver_due() == 0
    assert seen.values == []
    assert await rows(database) == []


async def test_a_crash_after_the_commit_loses_nothing(database: Database) -> None:
    crashed, _, lost = wired(database)
    await stage(database, crashed, SomethingHappened(value=5))
    # the process died before deliver(): a new process's relay finds the event
    _, relay, seen = wired(database)
    assert await relay.deliver_due() == 1
    assert (lost.values, seen.values) == ([], [5])


async def test_a_relay_that_died_mid_delivery_leaves_the_row_to_its_lease(
    database: Database,
) -> None:
    bus, relay, seen = wired(database)
    await stage(database, bus, SomethingHappened(value=9))
    claimed = await database.run(lambda conn: outbox.claim(conn, 10, timedelta(seconds=60)))
    assert [c.payload["value"] for c in claimed] == [9]  # ... and then the claimer died
    assert await relay.deliver_due() == 0  # leased: no one else delivers it yet
    expired = outbox.OUTBOX.update().values(lease_until=utcnow() - timedelta(seconds=1))
    await database.run(lambda conn: conn.execute(expired))
    assert await relay.deliver_due() == 1
    assert seen.values == [9]


async def test_a_failing_handler_is_retried_and_the_others_run_once(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    bus, relay, seen = wired(database, retry_base=timedelta(0))
    flaky = Seen(failures=2)
    bus.subscribe(SomethingHappened, flaky, name="tests.flaky")
    before = HANDLER_FAILURES.labels("SomethingHappened")._value.get()
    with caplog.at_level(logging.ERROR):
        await stage(database, bus, SomethingHappened(value=7))
        await bus.deliver([SomethingHappened(value=7)])
        assert (seen.values, flaky.values) == ([7], [])
        await relay.deliver_due()
        await relay.deliver_due()
    assert (seen.values, flaky.values) == ([7], [7])
    assert HANDLER_FAILURES.labels("SomethingHappened")._value.get() == before + 2
    assert any("event handler failed" in r.message and r.exc_info for r in caplog.records)
    assert all(row.delivered_at is not None for row in await rows(database))


async def test_a_retry_waits_for_its_backoff(database: Database) -> None:
    bus, relay, seen = wired(database, retry_base=timedelta(minutes=5))
    seen.failures = 1
    await stage(database, bus, SomethingHappened(value=1))
    await relay.deliver_due()
    assert await relay.deliver_due() == 0  # not due for five minutes
    assert seen.values == []


async def test_a_handler_that_keeps_failing_ends_as_a_dead_letter_and_replays(
    database: Database,
) -> None:
    bus, relay, seen = wired(database, retry_base=timedelta(0), max_attempts=3)
    seen.failures = 3
    await stage(database, bus, SomethingHappened(value=4))
    for _ in range(3):
        await relay.deliver_due()
    letters = await database.read(outbox.dead_letters)
    assert [(d.name, d.handler, d.attempts) for d in letters] == [
        ("SomethingHappened", "tests.seen", 3)
    ]
    assert "boom" in letters[0].error
    assert await relay.deliver_due() == 0
    assert seen.values == []

    replayed = await database.run(lambda conn: outbox.requeue(conn, letters[0].id))
    assert replayed is not None
    await relay.deliver_due()
    assert seen.values == [4]
    assert await database.read(outbox.dead_letters) == []
    # a second replay of the same letter queues nothing
    await database.run(lambda conn: outbox.requeue(conn, letters[0].id))
    await relay.deliver_due()
    assert seen.values == [4]


async def test_an_event_for_a_handler_this_code_lacks_is_parked(database: Database) -> None:
    _, relay, _ = wired(database)
    rows_ = [("SomethingHappened", {"value": 1, "occurred_at": utcnow().isoformat()}, ["gone"])]
    await database.run(lambda conn: outbox.insert_events(conn, rows_))
    await relay.deliver_due()
    letters = await database.read(outbox.dead_letters)
    assert [(d.handler, d.error) for d in letters] == [("gone", "no handler of that name")]


async def test_two_relays_deliver_each_event_once(database: Database) -> None:
    bus, first, seen = wired(database)
    second = OutboxRelay(database, bus)
    events = [SomethingHappened(value=n) for n in range(250)]
    await stage(database, bus, *events)
    await asyncio.gather(first.deliver_due(), second.deliver_due())
    assert sorted(seen.values) == list(range(250))


async def test_delivered_rows_are_pruned(database: Database) -> None:
    bus, relay, _ = wired(database)
    await stage(database, bus, SomethingHappened(value=1))
    await relay.deliver_due()
    await stage(database, bus, SomethingHappened(value=2))  # not delivered yet
    old = outbox.OUTBOX.update().where(outbox.OUTBOX.c.delivered_at.is_not(None))
    await database.run(lambda c: c.execute(old.values(delivered_at=utcnow() - timedelta(hours=2))))
    assert await relay.prune() == 1
    assert [row.delivered_at for row in await rows(database)] == [None]


class Batches:
    """A batch handler that remembers each batch, and fails any batch holding a poisoned value."""

    def __init__(self, poisoned: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.poisoned = poisoned

    async def __call__(self, events: list[SomethingHappened]) -> None:
        values = [event.value for event in events]
        if self.poisoned in values:
            raise RuntimeError("poisoned")
        self.batches.append(values)


async def test_a_pass_hands_a_batch_handler_everything_committed_before_it(
    database: Database,
) -> None:
    bus, relay, seen = wired(database)
    batches = Batches()
    bus.subscribe_batch(SomethingHappened, batches, name="tests.batches")
    events = [SomethingHappened(value=n) for n in range(5)]
    for event in events:
        await stage(database, bus, event)
    # five requests deliver at once: one pass carries all five, the others find nothing
    await asyncio.gather(*(bus.deliver([event]) for event in events))
    assert batches.batches == [[0, 1, 2, 3, 4]]
    assert seen.values == [0, 1, 2, 3, 4]
    assert await relay.deliver_due() == 0


async def test_a_failed_batch_is_tried_event_by_event_so_only_the_bad_one_is_parked(
    database: Database,
) -> None:
    bus, relay, _ = wired(database, retry_base=timedelta(0), max_attempts=2)
    batches = Batches(poisoned=2)
    bus.subscribe_batch(SomethingHappened, batches, name="tests.batches")
    await stage(database, bus, *(SomethingHappened(value=n) for n in range(4)))
    await relay.deliver_due()
    assert batches.batches == [[0], [1], [3]]
    await relay.deliver_due()  # the second failure of the bad one parks it
    letters = await database.read(outbox.dead_letters)
    assert [(d.handler, d.payload["value"], d.attempts) for d in letters] == [
        ("tests.batches", 2, 2)
    ]
    assert batches.batches == [[0], [1], [3]]
    assert all(row.delivered_at is not None for row in await rows(database))
