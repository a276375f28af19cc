"""Announce events in tests as a service does: staged in a transaction, delivered after it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from notalabel.container import Container
from notalabel.events import Event
from notalabel.events.stream_entries import handler_streams_pattern


async def announce(container: Container, events: Sequence[Event]) -> None:
    """Stage `events` in the outbox in their own transaction, then deliver them."""
    await container.db.run(lambda conn: container.bus.stage(conn, events))
    await container.bus.deliver(events)


async def streamed(container: Container) -> list[dict[bytes, bytes]]:
    """Each event on the Redis streams once (every handler's stream holds its own copy)."""
    assert container.redis is not None
    stream = container.settings.events_stream
    found: dict[bytes, dict[bytes, bytes]] = {}
    async for key in container.redis.scan_iter(match=handler_streams_pattern(stream)):
        entries: Any = await container.redis.xrange(key)
        for _, fields in entries:
            found.setdefault(fields[b"id"], fields)
    return [found[event_id] for event_id in sorted(found, key=int)]
