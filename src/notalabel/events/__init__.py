"""Domain events, the outbox they are written to, and the bus and relay that deliver them."""

from notalabel.events.base import Event, UnknownEvent, event_from_json
from notalabel.events.bus import EVENTS_PUBLISHED, Handler, MessageBus

__all__ = [
    "EVENTS_PUBLISHED",
    "Event",
    "Handler",
    "MessageBus",
    "UnknownEvent",
    "event_from_json",
]
