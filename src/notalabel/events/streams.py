"""Production delivery: the outbox is relayed to Redis streams that every worker reads.

Each handler has a stream of its own (`<stream>:to:<handler>`, holding only the events meant
for it) and is a consumer group on it, so across all workers each handler gets each event once
(at least once: a crash before the acknowledgement delivers it again). One stream for all
handlers made every group read every event: under 200 likes a second the groups that take no
likes each read a second's backlog at every poll, 30-100 ms during which a worker answered
nothing. The shared stream of earlier versions (`<stream>` itself) is still read, by every
group that has a consumer group on it, until an operator deletes it: entries a worker of the
previous version published during a rolling deploy are not lost. A worker reads
new entries right after it publishes (so a request's own events are usually handled before it
answers) and on every relay poll. An entry whose handler failed stays pending and is claimed
again, by any worker, once it has been idle for the retry delay (the base doubled after each
try); after `max_attempts` deliveries it is parked in the dead-letter stream (deadletters.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from redis.typing import KeyT, StreamIdT

from notalabel.events import deadletters
from notalabel.events.base import Event, UnknownEvent, event_from_json
from notalabel.events.bus import MessageBus
from notalabel.events.outbox import Stored
from notalabel.events.stream_entries import (
    Entry,
    entry_fields,
    handler_stream,
    handler_streams_pattern,
    read_entry,
    text,
)
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
        self._legacy: set[str] = set()  # groups left on the shared stream of earlier versions
        self._pumps: dict[str, asyncio.Task[None]] = {}
        self._waiters: dict[str, list[asyncio.Future[int]]] = {}  # by group: for its next round

    def stream_of(self, name: str) -> str:
        """Handler `name`'s stream."""
        return handler_stream(self.stream, name)

    async def publish(self, rows: Sequence[Stored]) -> set[str]:
        """Append each row to the streams of its handlers; the groups that have something new."""
        pipe = self._redis.pipeline(transaction=False)
        groups: set[str] = set()
        for row in rows:
            fields = entry_fields(row.id, row.name, row.payload, row.pending)
            for name in row.pending:
                pipe.xadd(self.stream_of(name), fields, maxlen=KEPT, approximate=True)
            groups.update(row.pending)
        # a group must exist before its first entry or it would start after it
        await self._ensure_groups(groups)
        await pipe.execute()
        return groups

    def kick(self, groups: Iterable[str] | None = None) -> list[asyncio.Future[int]]:
        """Have `groups` (every known group by default) read and handle what is new, now.

        Each group pumps on its own, one batch in flight at a time: its next batch is all that
        came meanwhile, and a slow handler (a transaction a batch) never holds back a quick
        one (a push). Each future is done when its group has finished a read begun after this
        call (how many entries that read handled), so everything published before it is seen.
        """
        loop = asyncio.get_running_loop()
        waiting = []
        for name in self._runnable(self._bus.all_handler_names() if groups is None else groups):
            waiter: asyncio.Future[int] = loop.create_future()
            self._waiters.setdefault(name, []).append(waiter)
            running = self._pumps.get(name)
            if running is None or running.done():
                self._pumps[name] = asyncio.create_task(self._pump_group(name))
            waiting.append(waiter)
        return waiting

    async def pump(self, groups: Iterable[str] | None = None) -> int:
        """`kick` and wait until those groups have handled what they read; how many entries."""
        return sum(await asyncio.gather(*self.kick(groups)))

    async def drain(self) -> None:
        """Wait for every group's pump to stop (at shutdown)."""
        while running := [task for task in self._pumps.values() if not task.done()]:
            await asyncio.gather(*running, return_exceptions=True)

    async def _pump_group(self, name: str) -> None:
        # a round serves the callers that kicked before it began; those who kick during it
        # wait for the next (what they published may have come after this round's read)
        while waiters := self._waiters.pop(name, []):
            handled = 0
            try:
                more = True
                while more:
                    count, more = await self._read_and_handle(name)
                    handled += count
            except Exception:
                # Redis went away mid-batch: what was read stays pending and is claimed again
                logger.exception("a handler group's pump failed", extra={"handler": name})
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(handled)

    async def _read_and_handle(self, name: str) -> tuple[int, bool]:
        """Read and handle one batch for group `name`: how many entries, and whether more wait."""
        await self._ensure_groups([name])
        keys: dict[KeyT, StreamIdT] = {self.stream_of(name): ">"}
        if name in self._legacy:
            keys[self.stream] = ">"
        try:
            reply: Any = await self._redis.xreadgroup(name, self.consumer, keys, count=BATCH)
        except ResponseError as exc:
            self._group_failed(name, exc)
            return 0, False
        acks: dict[tuple[str, str], list[str]] = {}
        for key, read in reply or ():
            if read:
                acks[(text(key), name)] = await self._handle(name, read, attempt=1)
        await self._ack(acks)
        read_counts = [len(read) for _, read in reply or ()]
        return sum(read_counts), any(count == BATCH for count in read_counts)

    async def retry_due(self) -> int:
        """Claim and handle entries whose handler failed (or whose worker died) once due."""
        base_ms = int(self._retry_base.total_seconds() * 1000)
        names = self._runnable(self._bus.all_handler_names())
        await self._find_legacy_groups(names)
        sources = [(self.stream_of(name), name) for name in names]
        sources += [(self.stream, name) for name in names if name in self._legacy]
        pipe = self._redis.pipeline(transaction=False)
        for key, name in sources:
            pipe.xpending_range(key, name, "-", "+", BATCH, idle=base_ms)
        # every group in one round trip: this runs on every worker at every poll
        replies = await pipe.execute(raise_on_error=False)
        handled = 0
        for (key, name), waiting in zip(sources, replies, strict=True):
            if isinstance(waiting, Exception):
                self._group_failed(name, waiting, key)
                continue
            acks: dict[tuple[str, str], list[str]] = defaultdict(list)
            for pending in waiting:
                tries = int(pending["times_delivered"])
                due_ms = base_ms * 2 ** max(tries - 1, 0)
                if int(pending["time_since_delivered"]) < due_ms:
                    continue
                # XCLAIM with a minimum idle time: of two workers, only one gets it
                claimed: Any = await self._redis.xclaim(
                    key, name, self.consumer, due_ms, [pending["message_id"]]
                )
                handled += len(claimed)
                acks[(key, name)] += await self._handle(name, claimed, attempt=tries + 1)
            await self._ack(acks)
        return handled

    async def _find_legacy_groups(self, names: Sequence[str]) -> None:
        # the one stream every group read before each handler had its own: what workers of
        # the previous version published there is read until an operator deletes the key
        try:
            groups: Any = await self._redis.xinfo_groups(self.stream)
        except ResponseError:  # no such key: nothing is left from before
            self._legacy = set()
            return
        self._legacy = {text(group["name"]) for group in groups} & set(names)

    async def forget_idle_consumers(self) -> int:
        """Drop consumers (workers gone) that hold nothing and were idle IDLE_CONSUMER."""
        dropped = 0
        idle_ms = IDLE_CONSUMER.total_seconds() * 1000
        for name in self._ready:
            key = self.stream_of(name)
            for info in await self._redis.xinfo_consumers(key, name):
                if int(info["pending"]) == 0 and int(info["idle"]) >= idle_ms:
                    dropped += await self._redis.xgroup_delconsumer(key, name, info["name"])
        return dropped

    async def forget(self, user_id: str, *, keep: str) -> int:
        """Delete the entries (events and dead letters) that name `user_id`, but `keep`'s."""
        removed = 0
        # every handler's stream, those of handlers this code no longer has too
        found = self._redis.scan_iter(match=handler_streams_pattern(self.stream), count=1000)
        # and the shared stream of earlier versions, while it is kept
        for key in [text(key) async for key in found] + [self.stream, self.dead_stream]:
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
        return [name for name in dict.fromkeys(names) if self._bus.handles(name)]

    async def _ensure_groups(self, names: Iterable[str]) -> None:
        missing = [name for name in names if name not in self._ready]
        if not missing:
            return
        pipe = self._redis.pipeline(transaction=False)
        for name in missing:
            # from the start of what is kept: entries name their handlers, so a group that
            # is new reads only those meant for it
            pipe.xgroup_create(self.stream_of(name), name, id="0", mkstream=True)
        for name, result in zip(missing, await pipe.execute(raise_on_error=False), strict=True):
            if isinstance(result, Exception) and "BUSYGROUP" not in str(result):
                raise result
            self._ready.add(name)

    def _group_failed(self, name: str, error: Exception, key: str | None = None) -> None:
        if "NOGROUP" in str(error):
            # the stream was deleted: its group is made again on the next read; the shared
            # stream of earlier versions is not (nothing can be left on it), and the next poll
            # finds out whether it is still there
            if key != self.stream:
                self._ready.discard(name)
            if key in (None, self.stream):
                self._legacy.discard(name)
            return
        logger.error(
            "reading a handler group failed", extra={"handler": name, "error": repr(error)}
        )

    async def _handle(self, name: str, messages: Sequence[Any], *, attempt: int) -> list[str]:
        """Run handler `name` on entries read for it; the ids done with (to acknowledge)."""
        done: list[str] = []
        entries: list[Entry] = []
        events: list[Event] = []
        for stream_id, fields in messages:
            if not fields or name not in (entry := read_entry(stream_id, fields)).handlers:
                done.append(text(stream_id))  # deleted since (an erasure), or another's replay
                continue
            try:
                events.append(event_from_json(entry.name, entry.payload))
            except (UnknownEvent, KeyError, TypeError, ValueError) as exc:
                await self._bury(name, entry, attempt, f"cannot rebuild the event: {exc!r}")
                done.append(entry.stream_id)
                continue
            entries.append(entry)

        def failed(index: int, _: Exception) -> None:
            handler_failed(entries[index].name, entries[index].event_id, name)

        outcomes = await self._bus.run(name, events, failed) if events else []
        for entry, error in zip(entries, outcomes, strict=True):
            if error is None:
                done.append(entry.stream_id)
            elif attempt >= self._max_attempts:
                await self._bury(name, entry, attempt, repr(error))
                done.append(entry.stream_id)
        return done

    async def _bury(self, name: str, entry: Entry, attempts: int, error: str) -> None:
        await deadletters.park(
            self._redis, self.stream, entry, handler=name, attempts=attempts, error=error
        )
        parked(entry.name, entry.event_id, name, error)

    async def _ack(self, acks: dict[tuple[str, str], list[str]]) -> None:
        """Acknowledge, per (stream, group), the entries done with."""
        acks = {source: ids for source, ids in acks.items() if ids}
        if not acks:
            return
        pipe = self._redis.pipeline(transaction=False)
        for (key, name), ids in acks.items():
            pipe.xack(key, name, *ids)
        await pipe.execute()
