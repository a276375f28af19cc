"""Reactions to onboarding events."""

from __future__ import annotations

import logging

from prometheus_client import Counter

from notalabel.events import MessageBus
from notalabel.identity.events import IdentityCreated, IdentitySessionAbandoned

logger = logging.getLogger(__name__)

ONBOARDINGS = Counter("notalabel_onboardings_total", "Onboarding sessions by outcome", ["outcome"])


async def count_created_identity(event: IdentityCreated) -> None:
    """Count and log a finished onboarding."""
    ONBOARDINGS.labels("created").inc()
    logger.info(
        "identity created",
        extra={"user_id": event.user_id, "artist_name": event.artist_name, "genre": event.genre},
    )


async def count_abandoned_session(event: IdentitySessionAbandoned) -> None:
    """Count an abandoned onboarding."""
    ONBOARDINGS.labels("abandoned").inc()


def subscribe_identity_handlers(bus: MessageBus) -> None:
    """Register the onboarding handlers."""
    bus.subscribe(IdentityCreated, count_created_identity)
    bus.subscribe(IdentitySessionAbandoned, count_abandoned_session)
