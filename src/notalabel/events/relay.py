"""Delivers the outbox: each staged event to each of its handlers, at least once.

A pass leases a batch of due rows, gives each handler its share as one batch (the handlers
side by side, outside any transaction), then writes back what is left in one transaction. In
production (Redis) a pass hands the rows to the Redis stream instead, where each handler is a
consumer group shared by every worker (streams.py), and wakes those groups. One pass runs at a
time per process and every commit made meanwhile joins the next; relays of other processes
run their own, and the lease keeps them on different rows.
A failing handler is tried again after a growing delay (RETRY_BASE, doubled each time) and
after MAX_ATTEMPTS failures its event is parked as a dead letter (`notalabel events
dead-letters`, `notalabel events replay ID`). A relay that dies mid-pass leaves its lease to
run out; the next pass, here or on another worker, delivers the rows again.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection

from notalabel.db import Database, utcnow
from notalabel.events import outbox
from notalabel.events.base import Event, UnknownEvent, event_from_json
from notalabel.events.bus import MessageBus
from notalabel.events.streams import EventStreams
from notalabel.events.telemetry import handler_failed, parked

logger = logging.getLogger(__name__)


BATCH = 100
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=1)
PRUNE_AFTER = timedelta(hours=1)

# rows handled, and a round of each handler group it woke (production)
_Passed = tuple[int, list[asyncio.Future[int]]]

_delivering: contextvars.ContextVar[bool] = contextvars.ContextVar("delivering", default=False)


class OutboxRelay:
    """Runs the bus's handlers for what the outbox holds."""

    def __init__(
        self,
        db: Database,
        bus: MessageBus,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        retry_base: timedelta = RETRY_BASE,
        streams: EventStreams | None = None,
    ) -> None:
        self._db = db
        self._bus = bus
        self._max_attempts = max_attempts
        self._retry_base = retry_base
        self._streams = streams
        self._next: asyncio.Future[_Passed] | None = None  # the pass callers wait for
        self._driver: asyncio.Task[None] | None = None
        self._again = False
        bus.relay = self

    async def deliver_due(self) -> int:
        """Have every due row delivered by a pass that starts now or after the one running."""
        if _delivering.get():
            # a handler that staged events: the pass it runs in goes round once more for them
            self._again = True
            return 0
        # one pass at a time per process, and every commit made meanwhile joins the next:
        # its handlers take a batch (one transaction, one pipeline) instead of one event
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
            if self._driver is None or self._driver.done():
                self._driver = asyncio.create_task(self._drive())
        # shielded: a caller that goes away does not cancel the pass the others wait for
        handled, rounds = await asyncio.shield(self._next)
        # production: and for each handler group the pass woke to handle what it handed on
        # (the groups pump side by side, so a quick one is not held back by a slow one)
        await asyncio.gather(*(asyncio.shield(r) for r in rounds), return_exceptions=True)
        return handled

    async def _drive(self) -> None:
        token = _delivering.set(True)
        try:
            while self._next is not None:
                waiting, self._next = self._next, None
                passed: _Passed = (0, [])
                try:
                    passed = await self._pass()
                except Exception:
                    # the poll tries again; callers' changes are committed whatever this says
                    logger.exception("an outbox relay pass failed")
                if self._again:
                    self._again = False
                    self._next = self._next or asyncio.get_running_loop().create_future()
                waiting.set_result(passed)
        finally:
            _delivering.reset(token)

    async def _pass(self) -> _Passed:
        handled = 0
        groups: set[str] = set()
        while True:
            # a transaction, though one statement: a worker that dies before COMMIT leaves
            # no lease (in autocommit the database would finish and keep it for a minute)
            rows = await self._db.run(lambda conn: outbox.claim(conn, BATCH, LEASE))
            if self._streams is not None and rows:
                groups |= await self._publish(self._streams, rows)
            elif rows:
                await self._deliver(rows)
            handled += len(rows)
            if len(rows) < BATCH:
                break
        if self._streams is not None and groups:
            return handled, self._streams.kick(groups)
        return handled, []

    async def drain(self) -> None:
        """Wait for the pass in flight, the one queued after it and the handler groups."""
        if self._driver is not None:
            await asyncio.shield(self._driver)
        if self._streams is not None:
            await self._streams.drain()

    async def _publish(self, streams: EventStreams, rows: list[outbox.Stored]) -> set[str]:
        ids = [row.id for row in rows]
        try:
            groups = await streams.publish(rows)
        except Exception:
            # Redis is down: the rows stay here and are offered again after the retry delay
            logger.exception("handing events to the Redis stream failed")
            retry_at = utcnow() + self._retry_base
            await self._db.run_single(lambda conn: outbox.postpone(conn, ids, retry_at))
            return set()
        # a crash before this write hands them on again: handlers are idempotent
        await self._db.run_single(lambda conn: outbox.mark_published(conn, ids))
        return groups

    async def _deliver(self, rows: list[outbox.Stored]) -> None:
        """Each handler's share of `rows` as one batch, the handlers side by side; then settle."""
        deliveries = [_Delivery(row) for row in rows]
        work: dict[str, list[_Delivery]] = {}
        for delivery in deliveries:
            for name in delivery.due():
                if self._bus.handles(name):
                    work.setdefault(name, []).append(delivery)
                else:
                    delivery.bury(name, "no handler of that name")
        await asyncio.gather(*(self._run(name, batch) for name, batch in work.items()))

        def settle(conn: Connection) -> None:
            for delivery in deliveries:
                retry_at = delivery.retry_at(self._retry_base)
                for name, tries, error in delivery.buried:
                    outbox.bury(conn, delivery.row, name, tries, error)
                outbox.settle(conn, delivery.row, delivery.pending, delivery.attempts, retry_at)

        await self._db.run(settle)
        for delivery in deliveries:
            for name, _, error in delivery.buried:
                parked(delivery.row.name, delivery.row.id, name, error)

    async def _run(self, name: str, batch: list[_Delivery]) -> None:
        def failed(index: int, _: Exception) -> None:
            handler_failed(batch[index].row.name, batch[index].row.id, name)

        events = [delivery.event for delivery in batch if delivery.event is not None]
        outcomes = await self._bus.run(name, events, failed)
        for delivery, error in zip(batch, outcomes, strict=True):
            delivery.record(name, error, self._max_attempts)

    async def prune(self) -> int:
        """Delete rows delivered more than PRUNE_AFTER ago."""
        return await self._db.run_single(lambda conn: outbox.prune(conn, PRUNE_AFTER))

    async def run_forever(self, interval_seconds: float) -> None:
        """Deliver what is due every interval (retries, rows a dead relay left); never die."""
        passes = 0
        while True:
            try:
                await self.deliver_due()
                if self._streams is not None:
                    # other workers' entries this worker's groups have not read, and retries
                    self._streams.kick()
                    await self._streams.retry_due()
                passes += 1
                if passes % max(1, int(600 / interval_seconds)) == 1:
                    await self.prune()
                    if self._streams is not None:
                        await self._streams.forget_idle_consumers()
            except Exception:
                logger.exception("the outbox relay's pass failed")
            await asyncio.sleep(interval_seconds)


async def stop(task: asyncio.Task[None] | None) -> None:
    """Cancel a `run_forever` task and let a pass in flight unwind."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class _Delivery:
    """What a pass does with one outbox row: its event, and each handler's outcome."""

    def __init__(self, row: outbox.Stored) -> None:
        self.row = row
        self.attempts = dict(row.attempts)
        self.pending: list[str] = []
        self.buried: list[tuple[str, int, str]] = []
        try:
            self.event: Event | None = event_from_json(row.name, row.payload)
        except (UnknownEvent, KeyError, TypeError, ValueError) as exc:
            self.event = None
            for name in row.pending:
                self.bury(name, f"cannot rebuild the event: {exc!r}")

    def due(self) -> list[str]:
        """The handlers to run now (none when the event cannot be rebuilt)."""
        return list(self.row.pending) if self.event is not None else []

    def bury(self, name: str, error: str) -> None:
        """Park this event for `name` without running it."""
        self.buried.append((name, self.attempts.get(name, 0), error))

    def record(self, name: str, error: Exception | None, max_attempts: int) -> None:
        """What handler `name` did: done, to be tried again, or failed too often."""
        if error is None:
            return
        self.attempts[name] = self.attempts.get(name, 0) + 1
        if self.attempts[name] >= max_attempts:
            self.buried.append((name, self.attempts[name], repr(error)))
        else:
            self.pending.append(name)

    def retry_at(self, base: timedelta) -> datetime | None:
        """When the handlers still pending should be tried again (None: none are)."""
        if not self.pending:
            return None
        tries = min(self.attempts[name] for name in self.pending)
        delay: timedelta = base * 2 ** max(tries - 1, 0)
        return utcnow() + delay
