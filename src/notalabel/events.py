"""Domain events and the message bus that hands them to handlers after a commit."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from prometheus_client import Counter

from notalabel.db import utcnow

logger = logging.getLogger(__name__)

HANDLER_FAILURES = Counter(
    "notalabel_event_handler_failures_total", "Event handlers that raised", ["event"]
)
EVENTS_PUBLISHED = Counter("notalabel_events_published_total", "Domain events", ["event"])


@dataclass(frozen=True, kw_only=True)
class Event:
    """Something that happened; names are in the past tense."""

    occurred_at: datetime = dataclasses.field(default_factory=utcnow)

    @property
    def name(self) -> str:
        """The event's type name, e.g. IdentityCreated."""
        return type(self).__name__

    def to_json(self) -> dict[str, Any]:
        """A JSON document for other processes (realtime, analytics)."""
        body = dataclasses.asdict(self)
        body["occurred_at"] = self.occurred_at.isoformat()
        return {"event": self.name, "data": body}


Handler = Callable[[Any], Awaitable[None]]


class ExternalPublisher(Protocol):
    """Forwards events beyond this process (Redis pub/sub in production)."""

    async def publish(self, channel: str, message: str) -> Any:
        """Send one message."""


class RedisPublisher:
    """Publishes events on a Redis channel so other workers and services see them."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def publish(self, channel: str, message: str) -> Any:
        """Send one message."""
        return await self._redis.publish(channel, message)


class MessageBus:
    """Dispatches events to the handlers subscribed to their type."""

    CHANNEL = "notalabel:events"

    def __init__(self, external: ExternalPublisher | None = None) -> None:
        self._handlers: dict[type[Event], list[Handler]] = defaultdict(list)
        self._external = external

    def subscribe(self, event_type: type[Event], handler: Handler) -> None:
        """Call `handler` for every published event of `event_type`."""
        self._handlers[event_type].append(handler)

    async def publish(self, events: Iterable[Event]) -> None:
        """Run the handlers of each event; a failing handler is logged and counted, never hidden."""
        for event in events:
            EVENTS_PUBLISHED.labels(event.name).inc()
            for handler in self._handlers.get(type(event), ()):
                try:
                    await handler(event)
                except Exception:
                    HANDLER_FAILURES.labels(event.name).inc()
                    logger.exception(
                        "event handler failed",
                        extra={"event": event.name, "handler": getattr(handler, "__name__", "?")},
                    )
            if self._external is not None:
                try:
                    await self._external.publish(self.CHANNEL, json.dumps(event.to_json()))
                except Exception:
                    HANDLER_FAILURES.labels(event.name).inc()
                    logger.exception("event forwarding failed", extra={"event": event.name})
