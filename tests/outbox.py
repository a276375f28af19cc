"""Announce events in tests as a service does: staged in a transaction, delivered after it."""

from __future__ import annotations

from collections.abc import Sequence

from notalabel.container import Container
from notalabel.events import Event


async def announce(container: Container, events: Sequence[Event]) -> None:
    """Stage `events` in the outbox in their own transaction, then deliver them."""
    await container.db.run(lambda conn: container.bus.stage(conn, events))
    await container.bus.deliver(events)
