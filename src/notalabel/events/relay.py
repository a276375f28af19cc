"""Delivers the outbox: each staged event to each of its handlers, at least once.

A pass leases a batch of due rows, runs their pending handlers outside any transaction, then
writes back what is left. In production (Redis) a pass hands the rows to the Redis stream
instead, where each handler is a consumer group shared by every worker (streams.py), and then
reads its share of what is new there. Passes may run side by side; the lease keeps them on
different rows.
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
from datetime import timedelta

from sqlalchemy.engine import Connection

from notalabel.db import Database, utcnow
from notalabel.events import outbox
from notalabel.events.base import UnknownEvent, event_from_json
from notalabel.events.bus import MessageBus
from notalabel.events.streams import EventStreams
from notalabel.events.telemetry import handler_failed, parked

logger = logging.getLogger(__name__)


BATCH = 100
LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 5
RETRY_BASE = timedelta(seconds=1)
PRUNE_AFTER = timedelta(hours=1)

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
        bus.relay = self

    async def deliver_due(self) -> int:
        """Deliver every due row, batch after batch; how many rows were handled."""
        if _delivering.get():
            # a handler that stages events: the pass it runs in goes on to deliver them
            return 0
        token = _delivering.set(True)
        try:
            # passes run side by side (one per request that committed events, and the poll):
            # each takes rows no other holds, so a request never queues behind another's
            # handlers; a row another pass took is delivered by that pass
            handled = 0
            groups: set[str] = set()
            while True:
                # a transaction, though one statement: a worker that dies before COMMIT leaves
                # no lease (in autocommit the database would finish and keep it for a minute)
                rows = await self._db.run(lambda conn: outbox.claim(conn, BATCH, LEASE))
                if self._streams is not None and rows:
                    groups |= await self._publish(self._streams, rows)
                for row in rows if self._streams is None else ():
                    await self._deliver(row)
                handled += len(rows)
                if len(rows) < BATCH:
                    break
            if self._streams is not None and groups:
                await self._streams.pump(groups)
            return handled
        finally:
            _delivering.reset(token)

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

    async def _deliver(self, row: outbox.Stored) -> None:
        pending: list[str] = []
        attempts = dict(row.attempts)
        buried: list[tuple[str, int, str]] = []
        try:
            event = event_from_json(row.name, row.payload)
        except (UnknownEvent, KeyError, TypeError, ValueError) as exc:
            event = None
            error = f"cannot rebuild the event: {exc!r}"
            buried = [(name, attempts.get(name, 0), error) for name in row.pending]
        for name in row.pending if event is not None else ():
            handler = self._bus.handler(name)
            if handler is None:
                buried.append((name, attempts.get(name, 0), "no handler of that name"))
                continue
            try:
                await handler(event)
            except Exception as exc:
                handler_failed(row.name, row.id, name)
                attempts[name] = attempts.get(name, 0) + 1
                if attempts[name] >= self._max_attempts:
                    buried.append((name, attempts[name], repr(exc)))
                else:
                    pending.append(name)
        retry_at = None
        if pending:
            tries = min(attempts[name] for name in pending)
            retry_at = utcnow() + self._retry_base * (2 ** (tries - 1))

        def settle(conn: Connection) -> None:
            for name, tries, error in buried:
                outbox.bury(conn, row, name, tries, error)
            outbox.settle(conn, row, pending, attempts, retry_at)

        await self._db.run(settle)
        for name, _, error in buried:
            parked(row.name, row.id, name, error)

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
                    await self._streams.pump()
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
