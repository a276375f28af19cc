"""Production delivery: the outbox is relayed to a Redis stream that every worker reads.

Each handler is a consumer group on the stream, so across all workers each handler gets each
event once (at least once: a crash before the acknowledgement delivers it again). A worker reads
new entries right after it publishes (so a request's own events are usually handled before it
answers) and on every relay poll. An entry whose handler failed stays pending and is claimed
again, by any worker, once it has been idle for the retry delay (the base doubled after each
try); after `max_attempts` deliveries it is parked in the dead-letter stream (deadletters.py).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis

from notalabel.events import deadletters
from notalabel.events.base import UnknownEvent, event_from_json
from notalabel.events.bus import MessageBus
from notalabel.events.outbox import Stored
from notalabel.events.stream_entries import Entry, entry_fields, read_entry, text
from notalabel.events.telemetry import handler_failed, parked

logger = logging.getLogger(__name__)

BATCH = 100
KEPT = 10_000  # entries the stream keeps (trimmed approximately); far more than any backlog
IDLE_CONSUMER = timedelta(hours=1)


class EventStreams:
    """Publishes outbox rows to the stream and runs this worker's share of each handler group."""

    def __init__(
        self,
        redis: Redis,
        bus: MessageBus,
        *,
        stream: str,
        max_attempts: int,
        retry_base: timedelta,
    ) -> None:
        self._redis = redis
        self._bus = bus
        self.stream = stream
        self.dead_stream = deadletters.dead_stream(stream)
        # one consumer per process and instance: a pending entry names who holds it
        self.consumer = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self._max_attempts = max_attempts
        self._retry_base = retry_base
        self._ready: set[str] = set()

    async def publish(self, rows: Sequence[Stored]) -> set[str]:
        """Append `rows` to the stream; the handler groups that have something new."""
        pipe = self._redis.pipeline(transaction=False)
        groups: set[str] = set()
        for row in rows:
            fields = entry_fields(row.id, row.name, row.payload, row.pending)
            pipe.xadd(self.stream, fields, maxlen=KEPT, approximate=True)
            groups.update(row.pending)
        # a group must exist before its first entry or it would start after it
        await self._ensure_groups(groups)
        await pipe.execute()
        return groups

    async def pump(self, groups: Iterable[str] | None = None) -> int:
        """Read and handle what is new for `groups` (every known group by default)."""
        names = self._runnable(self._bus.all_handler_names() if groups is None else groups)
        await self._ensure_groups(names)
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.xreadgroup(name, self.consumer, {self.stream: ">"}, count=BATCH)
        replies = await pipe.execute(raise_on_error=False)
        handled = 0
        acks: dict[str, list[str]] = defaultdict(list)
        for name, reply in zip(names, replies, strict=True):
            if isinstance(reply, Exception):
                self._group_failed(name, reply)
                continue
            for _, messages in reply or ():
                for stream_id, fields in messages:
                    handled += 1
                    if await self._handle(name, stream_id, fields, attempt=1):
                        acks[name].append(text(stream_id))
        await self._ack(acks)
        return handled

    async def retry_due(self) -> int:
        """Claim and handle entries whose handler failed (or whose worker died) once due."""
        base_ms = int(self._retry_base.total_seconds() * 1000)
        names = self._runnable(self._bus.all_handler_names())
        pipe = self._redis.pipeline(transaction=False)
        for name in names:
            pipe.xpending_range(self.stream, name, "-", "+", BATCH, idle=base_ms)
        # every group in one round trip: this runs on every worker at every poll
        replies = await pipe.execute(raise_on_error=False)
        handled = 0
        for name, waiting in zip(names, replies, strict=True):
            if isinstance(waiting, Exception):
                self._group_failed(name, waiting)
                continue
            acks: dict[str, list[str]] = defaultdict(list)
            for pending in waiting:
                tries = int(pending["times_delivered"])
                due_ms = base_ms * 2 ** max(tries - 1, 0)
                if int(pending["time_since_delivered"]) < due_ms:
                    continue
                # XCLAIM with a minimum idle time: of two workers, only one gets it
                claimed: Any = await self._redis.xclaim(
                    self.stream, name, self.consumer, due_ms, [pending["message_id"]]
                )
                for stream_id, fields in claimed:
                    handled += 1
                    if await self._handle(name, stream_id, fields, attempt=tries + 1):
                        acks[name].append(text(stream_id))
            await self._ack(acks)
        return handled

    async def forget_idle_consumers(self) -> int:
        """Drop consumers (workers gone) that hold nothing and were idle IDLE_CONSUMER."""
        dropped = 0
        idle_ms = IDLE_CONSUMER.total_seconds() * 1000
        for name in self._ready:
            for info in await self._redis.xinfo_consumers(self.stream, name):
                if int(info["pending"]) == 0 and int(info["idle"]) >= idle_ms:
                    dropped += await self._redis.xgroup_delconsumer(self.stream, name, info["name"])
        return dropped

    async def forget(self, user_id: str, *, keep: str) -> int:
        """Delete the entries (events and dead letters) that name `user_id`, but `keep`'s."""
        removed = 0
        for key in (self.stream, self.dead_stream):
            start = "-"
            while batch := await self._xrange(key, start):
                doomed = [
                    stream_id
                    for stream_id, fields in batch
                    if user_id in text(fields.get(b"payload", b""))
                    and text(fields.get(b"name", b"")) != keep
                ]
                if doomed:
                    removed += await self._redis.xdel(key, *doomed)
                start = "(" + text(batch[-1][0])
        return removed

    async def _xrange(self, key: str, start: str) -> Any:
        return await self._redis.xrange(key, start, "+", count=1000)

    def _runnable(self, names: Iterable[str]) -> list[str]:
        # a group this code has no handler for is left to workers that have one (a rolling
        # deploy): reading it here would take entries away from them
        return [name for name in dict.fromkeys(names) if self._bus.handler(name) is not None]

    async def _ensure_groups(self, names: Iterable[str]) -> None:
        missing = [name for name in names if name not in self._ready]
        if not missing:
            return
        pipe = self._redis.pipeline(transaction=False)
        for name in missing:
            # from the start of what is kept: entries name their handlers, so a group that
            # is new reads only those meant for it
            pipe.xgroup_create(self.stream, name, id="0", mkstream=True)
        for name, result in zip(missing, await pipe.execute(raise_on_error=False), strict=True):
            if isinstance(result, Exception) and "BUSYGROUP" not in str(result):
                raise result
            self._ready.add(name)

    def _group_failed(self, name: str, error: Exception) -> None:
        if "NOGROUP" in str(error):
            self._ready.discard(name)  # the stream was deleted: made again on the next read
            return
        logger.error(
            "reading a handler group failed", extra={"handler": name, "error": repr(error)}
        )

    async def _handle(self, name: str, stream_id: Any, fields: Any, *, attempt: int) -> bool:
        """Run handler `name` on one entry; True when the entry is done with (acknowledge it)."""
        if not fields:
            return True  # deleted since it was read (an erasure)
        entry = read_entry(stream_id, fields)
        if name not in entry.handlers:
            return True  # a replay meant for another handler
        try:
            event = event_from_json(entry.name, entry.payload)
        except (UnknownEvent, KeyError, TypeError, ValueError) as exc:
            await self._bury(name, entry, attempt, f"cannot rebuild the event: {exc!r}")
            return True
        handler = self._bus.handler(name)
        assert handler is not None  # _runnable
        try:
            await handler(event)
        except Exception as exc:
            handler_failed(entry.name, entry.event_id, name)
            if attempt < self._max_attempts:
                return False
            await self._bury(name, entry, attempt, repr(exc))
        return True

    async def _bury(self, name: str, entry: Entry, attempts: int, error: str) -> None:
        await deadletters.park(
            self._redis, self.stream, entry, handler=name, attempts=attempts, error=error
        )
        parked(entry.name, entry.event_id, name, error)

    async def _ack(self, acks: dict[str, list[str]]) -> None:
        if not acks:
            return
        pipe = self._redis.pipeline(transaction=False)
        for name, ids in acks.items():
            pipe.xack(self.stream, name, *ids)
        await pipe.execute()
