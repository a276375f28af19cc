"""The message bus: events are staged in the change's transaction and delivered after commit.

    def work(conn):
        ...                        # the change
        bus.stage(conn, events)    # same transaction: both commit or neither does
    await db.run(work)
    await bus.deliver(events)      # after the commit: run the handlers now

`deliver` runs a relay pass (relay.py) at once, so a request's events are handled before it
answers unless a concurrent pass took them first (that pass delivers them); the relay's
background loop picks up whatever a crash or a failing handler left behind. Handlers may see
an event more than once (a crash between a handler and the settling write): each must be
idempotent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol

from prometheus_client import Counter
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.events import outbox
from notalabel.events.base import Event

logger = logging.getLogger(__name__)

EVENTS_PUBLISHED = Counter("notalabel_events_published_total", "Domain events", ["event"])

Handler = Callable[[Any], Awaitable[None]]


class Relay(Protocol):
    """Delivers what the outbox holds (relay.OutboxRelay)."""

    async def deliver_due(self) -> int:
        """Deliver every due event; how many rows were handled."""


class MessageBus:
    """Knows the handlers of each event type, stages events and has them delivered."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[str]] = defaultdict(list)
        self._by_name: dict[str, Handler] = {}
        self.relay: Relay | None = None

    def subscribe(self, event_type: type[Event], handler: Handler, name: str | None = None) -> None:
        """Call `handler` for every event of `event_type`; `name` is how the outbox records it."""
        name = name or f"{handler.__module__}.{handler.__qualname__}"
        known = self._by_name.setdefault(name, handler)
        if known is not handler and known != handler:
            raise ValueError(f"two handlers are named {name}")
        if name not in self._handlers[event_type]:
            self._handlers[event_type].append(name)

    def handler(self, name: str) -> Handler | None:
        """The handler recorded as `name` (None when this code has no such handler)."""
        return self._by_name.get(name)

    def all_handler_names(self) -> list[str]:
        """Every handler this process can run, in the order they were subscribed."""
        return list(self._by_name)

    def handler_names(self, event: Event) -> list[str]:
        """Who must see `event`, as the outbox records them."""
        return list(self._handlers.get(type(event), ()))

    def stage(self, conn: Connection, events: Iterable[Event]) -> None:
        """Write `events` to the outbox inside the caller's transaction."""
        rows = [(e.name, e.to_json()["data"], self.handler_names(e)) for e in events]
        if rows:
            outbox.insert_events(conn, rows)

    async def stage_in(self, tx: AsyncSession, events: Sequence[Event]) -> None:
        """`stage` inside an ORM transaction."""
        if events:
            await tx.run_sync(lambda session: self.stage(session.connection(), events))

    async def deliver(self, events: Sequence[Event]) -> None:
        """After the commit that staged `events`: run the relay now (no-op for no events)."""
        if not events:
            return
        for event in events:
            EVENTS_PUBLISHED.labels(event.name).inc()
        if self.relay is None:
            raise RuntimeError("the message bus has no relay: wire one (container.py)")
        await self.relay.deliver_due()
