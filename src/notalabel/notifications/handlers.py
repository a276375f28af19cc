"""Turns domain events into notifications; each handler is idempotent (store.record_many).

Each handler takes the batch of events a delivery pass carries: one transaction records them
all, and one push tells each recipient's screens their new unread count.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from notalabel.community.events import CollaborationAccepted, CollaborationRequested
from notalabel.db import Database
from notalabel.events import MessageBus
from notalabel.notifications import store
from notalabel.notifications.models import Kind
from notalabel.notifications.store import Told
from notalabel.patterns.events import CommentAdded, PatternLiked, PatternRemixed
from notalabel.social.events import UserFollowed

# how new unread counts reach the artists' open screens (realtime's Fanout.send_many)
PushMany = Callable[[Sequence[tuple[str, dict[str, Any]]]], Awaitable[None]]


class NotificationHandlers:
    """One handler per event that tells an artist something, then their screens the count."""

    def __init__(self, db: Database, push: PushMany | None = None) -> None:
        self._db = db
        self._push = push

    async def _record(self, items: Sequence[Told]) -> None:
        def work(conn: Connection) -> list[store.Recorded]:
            return store.record_many(conn, items)

        done = await self._db.run(work)
        # each recipient's count after the whole batch; a redelivery pushes again, as the
        # attempt before may have failed at this very push
        unread = {
            item.recipient_id: result.unread
            for item, result in zip(items, done, strict=True)
            if result.unread is not None
        }
        if self._push is not None and unread:
            await self._push(
                [(who, {"type": "notifications", "unreadCount": n}) for who, n in unread.items()]
            )

    async def pattern_liked(self, events: Sequence[PatternLiked]) -> None:
        """Tell each creator who liked their pattern."""
        await self._record([
            Told(e.creator_id, Kind.PATTERN_LIKED, e.pattern_id, e.user_id, e.occurred_at)
            for e in events
        ])  # fmt: skip

    async def comment_added(self, events: Sequence[CommentAdded]) -> None:
        """Tell each creator who commented on their pattern."""
        await self._record([
            Told(e.creator_id, Kind.PATTERN_COMMENTED, e.pattern_id, e.author_id, e.occurred_at)
            for e in events
        ])  # fmt: skip

    async def pattern_remixed(self, events: Sequence[PatternRemixed]) -> None:
        """Tell each original's creator who remixed it."""
        await self._record([
            Told(e.original_creator_id, Kind.PATTERN_REMIXED, e.original_id, e.remixer_id,
                 e.occurred_at)
            for e in events
        ])  # fmt: skip

    async def artist_followed(self, events: Sequence[UserFollowed]) -> None:
        """Tell each artist who started following them."""
        await self._record([
            Told(e.followee_id, Kind.NEW_FOLLOWER, "", e.follower_id, e.occurred_at)
            for e in events
        ])  # fmt: skip

    async def collaboration_requested(self, events: Sequence[CollaborationRequested]) -> None:
        """Tell each artist who asked them to collaborate."""
        await self._record([
            Told(e.recipient_id, Kind.COLLABORATION_REQUESTED, e.request_id, e.requester_id,
                 e.occurred_at)
            for e in events
        ])  # fmt: skip

    async def collaboration_accepted(self, events: Sequence[CollaborationAccepted]) -> None:
        """Tell each artist who asked that the other said yes."""
        await self._record([
            Told(e.requester_id, Kind.COLLABORATION_ACCEPTED, e.request_id, e.recipient_id,
                 e.occurred_at)
            for e in events
        ])  # fmt: skip

    def subscribe(self, bus: MessageBus) -> None:
        """Register every handler on the bus."""
        bus.subscribe_batch(PatternLiked, self.pattern_liked)
        bus.subscribe_batch(CommentAdded, self.comment_added)
        bus.subscribe_batch(PatternRemixed, self.pattern_remixed)
        bus.subscribe_batch(UserFollowed, self.artist_followed)
        bus.subscribe_batch(CollaborationRequested, self.collaboration_requested)
        bus.subscribe_batch(CollaborationAccepted, self.collaboration_accepted)
