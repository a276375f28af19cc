"""Live counters: a like or a counted play reaches the creator's open screens."""

from __future__ import annotations

from collections.abc import Sequence

from notalabel.events import MessageBus
from notalabel.patterns.events import PatternLiked, PatternPlayed
from notalabel.realtime.fanout import Fanout, Push


class CounterPushes:
    """Pushes each pattern's new like and play counts to its creator, a batch at a time."""

    def __init__(self, fanout: Fanout) -> None:
        self._fanout = fanout

    async def pattern_liked(self, events: Sequence[PatternLiked]) -> None:
        """Each creator's pattern has `likes` likes now."""
        await self._fanout.send_many(_counter_pushes(events, "likes"))

    async def pattern_played(self, events: Sequence[PatternPlayed]) -> None:
        """Each creator's pattern has `plays` plays now."""
        await self._fanout.send_many(_counter_pushes(events, "plays"))

    def subscribe(self, bus: MessageBus) -> None:
        """Register the handlers."""
        bus.subscribe_batch(PatternLiked, self.pattern_liked)
        bus.subscribe_batch(PatternPlayed, self.pattern_played)


def _counter_pushes(events: Sequence[PatternLiked | PatternPlayed], counter: str) -> list[Push]:
    """To each creator: their pattern's new `counter` (an event field) and when it changed."""
    return [
        (e.creator_id, {"type": "pattern", "patternId": e.pattern_id,
                        counter: getattr(e, counter), "at": e.occurred_at.isoformat()})
        for e in events
    ]  # fmt: skip
