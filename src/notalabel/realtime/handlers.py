"""Live counters: a like or a counted play reaches the creator's open screens."""

from __future__ import annotations

from notalabel.events import MessageBus
from notalabel.patterns.events import PatternLiked, PatternPlayed
from notalabel.realtime.fanout import Fanout


class CounterPushes:
    """Pushes each pattern's new like and play counts to its creator."""

    def __init__(self, fanout: Fanout) -> None:
        self._fanout = fanout

    async def pattern_liked(self, event: PatternLiked) -> None:
        """The creator's pattern has `likes` likes now."""
        message = {
            "type": "pattern", "patternId": event.pattern_id, "likes": event.likes,
            "at": event.occurred_at.isoformat(),
        }  # fmt: skip
        await self._fanout.send(event.creator_id, message)

    async def pattern_played(self, event: PatternPlayed) -> None:
        """The creator's pattern has `plays` plays now."""
        message = {
            "type": "pattern", "patternId": event.pattern_id, "plays": event.plays,
            "at": event.occurred_at.isoformat(),
        }  # fmt: skip
        await self._fanout.send(event.creator_id, message)

    def subscribe(self, bus: MessageBus) -> None:
        """Register the handlers."""
        bus.subscribe(PatternLiked, self.pattern_liked)
        bus.subscribe(PatternPlayed, self.pattern_played)
