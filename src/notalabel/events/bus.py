"""The message bus: events are staged in the change's transaction and delivered after commit.

    def work(conn):
        ...                        # the change
        bus.stage(conn, events)    # same transaction: both commit or neither does
    await db.run(work)
    await bus.deliver(events)      # after the commit: run the handlers now

`deliver` has a relay pass (relay.py) deliver them, now or right after the pass running, and
waits for their handlers, so a request's events are handled before it answers; the relay's
background loop picks up whatever a crash or a failing handler left behind. Handlers may see
an event more than once (a crash between a handler and the settling write): each must be
idempotent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from prometheus_client import Counter
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.events import outbox
from notalabel.events.base import Event

logger = logging.getLogger(__name__)

EVENTS_PUBLISHED = Counter("notalabel_events_published_total", "Domain events", ["event"])

Handler = Callable[[Any], Awaitable[None]]
BatchHandler = Callable[[Sequence[Any]], Awaitable[None]]
# called inside the `except` of a failed event (its index in the batch): the caller logs it
OnFailure = Callable[[int, Exception], None]


class Relay(Protocol):
    """Delivers what the outbox holds (relay.OutboxRelay)."""

    async def deliver_due(self) -> int:
        """Deliver every due event; how many rows were handled."""


@dataclass(frozen=True, slots=True)
class _Subscribed:
    call: Callable[..., Awaitable[None]]
    batched: bool  # takes a list of events (one transaction, one pipeline) instead of one


class MessageBus:
    """Knows the handlers of each event type, stages events and has them delivered."""

    def __init__(self) -> None:
        self._handlers: dict[type[Event], list[str]] = defaultdict(list)
        self._by_name: dict[str, _Subscribed] = {}
        self.relay: Relay | None = None

    def subscribe(self, event_type: type[Event], handler: Handler, name: str | None = None) -> None:
        """Call `handler` for every event of `event_type`; `name` is how the outbox records it."""
        self._add(event_type, _Subscribed(handler, batched=False), name)

    def subscribe_batch(
        self, event_type: type[Event], handler: BatchHandler, name: str | None = None
    ) -> None:
        """Call `handler` with the events of `event_type` a delivery pass carries, in order.

        It must treat the batch as a whole or fail as a whole: after a failure each event is
        tried alone, so one bad event is retried (and parked) without the rest.
        """
        self._add(event_type, _Subscribed(handler, batched=True), name)

    def _add(self, event_type: type[Event], handler: _Subscribed, name: str | None) -> None:
        name = name or f"{handler.call.__module__}.{handler.call.__qualname__}"
        known = self._by_name.setdefault(name, handler)
        if known.call is not handler.call and known.call != handler.call:
            raise ValueError(f"two handlers are named {name}")
        if name not in self._handlers[event_type]:
            self._handlers[event_type].append(name)

    def handles(self, name: str) -> bool:
        """Whether this code has a handler recorded as `name`."""
        return name in self._by_name

    async def run(
        self, name: str, events: Sequence[Event], on_failure: OnFailure
    ) -> list[Exception | None]:
        """Run handler `name` on `events` in order; what each one failed with (None: handled)."""
        handler = self._by_name[name]
        if handler.batched and len(events) > 1:
            try:
                await handler.call(events)
                return [None] * len(events)
            except Exception:
                extra = {"handler": name, "events": len(events)}
                logger.warning(
                    "a batch failed; its events are tried one by one", extra=extra, exc_info=True
                )
        outcomes: list[Exception | None] = []
        for index, event in enumerate(events):
            try:
                await handler.call([event] if handler.batched else event)
                outcomes.append(None)
            except Exception as exc:
                on_failure(index, exc)
                outcomes.append(exc)
        return outcomes

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
