"""What both delivery paths (in-process relay and Redis streams) count and log."""

import logging

from prometheus_client import Counter

logger = logging.getLogger("notalabel.events")

HANDLER_FAILURES = Counter(
    "notalabel_event_handler_failures_total", "Event handlers that raised", ["event"]
)
DEAD_LETTERED = Counter(
    "notalabel_events_dead_lettered_total", "Events parked after their retries", ["event"]
)


def handler_failed(event: str, event_id: int, handler: str) -> None:
    """Count and log (with the exception being handled) a handler that raised."""
    HANDLER_FAILURES.labels(event).inc()
    logger.exception(
        "event handler failed", extra={"event": event, "event_id": event_id, "handler": handler}
    )


def parked(event: str, event_id: int, handler: str, error: str) -> None:
    """Count and log an event parked as a dead letter for `handler`."""
    DEAD_LETTERED.labels(event).inc()
    logger.error(
        "event parked as a dead letter",
        extra={"event": event, "event_id": event_id, "handler": handler, "error": error},
    )
