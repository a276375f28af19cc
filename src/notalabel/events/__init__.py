"""Domain events, the outbox they are written to, and the bus and relay that deliver them."""

from notalabel.events.base import Event, UnknownEvent, event_from_json
from notalabel.events.bus import (
    EVENTS_PUBLISHED,
    ExternalPublisher,
    Handler,
    MessageBus,
    RedisPublisher,
)

__all__ = [
    "EVENTS_PUBLISHED",
    "Event",
    "ExternalPublisher",
    "Handler",
    "MessageBus",
    "RedisPublisher",
    "UnknownEvent",
    "event_from_json",
]
