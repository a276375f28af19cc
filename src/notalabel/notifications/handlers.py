"""Turns domain events into notifications; each handler is idempotent (store.record)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from notalabel.community.events import CollaborationAccepted, CollaborationRequested
from notalabel.db import Database
from notalabel.events import MessageBus
from notalabel.notifications import store
from notalabel.notifications.models import Kind
from notalabel.patterns.events import CommentAdded, PatternLiked, PatternRemixed
from notalabel.social.events import UserFollowed

# how a new unread count reaches the artist's open screens (realtime's Fanout.send)
Push = Callable[[str, dict[str, Any]], Awaitable[None]]


class NotificationHandlers:
    """One handler per event that tells an artist something, then their screens the count."""

    def __init__(self, db: Database, push: Push | None = None) -> None:
        self._db = db
        self._push = push

    async def _record(
        self, recipient_id: str, kind: Kind, subject_id: str, actor_id: str, at: datetime
    ) -> None:
        def work(conn: Connection) -> store.Recorded:
            return store.record(
                conn, recipient_id=recipient_id, kind=kind, subject_id=subject_id,
                actor_id=actor_id, at=at,
            )  # fmt: skip

        done = await self._db.run(work)
        # a redelivery pushes again: the attempt before may have failed at this very push
        if self._push is not None and done.unread is not None:
            await self._push(recipient_id, {"type": "notifications", "unreadCount": done.unread})

    async def pattern_liked(self, event: PatternLiked) -> None:
        """Tell the creator who liked their pattern."""
        await self._record(
            event.creator_id, Kind.PATTERN_LIKED, event.pattern_id, event.user_id,
            event.occurred_at,
        )  # fmt: skip

    async def comment_added(self, event: CommentAdded) -> None:
        """Tell the creator who commented on their pattern."""
        await self._record(
            event.creator_id, Kind.PATTERN_COMMENTED, event.pattern_id, event.author_id,
            event.occurred_at,
        )  # fmt: skip

    async def pattern_remixed(self, event: PatternRemixed) -> None:
        """Tell the original's creator who remixed it."""
        await self._record(
            event.original_creator_id, Kind.PATTERN_REMIXED, event.original_id,
            event.remixer_id, event.occurred_at,
        )  # fmt: skip

    async def artist_followed(self, event: UserFollowed) -> None:
        """Tell an artist who started following them."""
        await self._record(
            event.followee_id, Kind.NEW_FOLLOWER, "", event.follower_id, event.occurred_at
        )

    async def collaboration_requested(self, event: CollaborationRequested) -> None:
        """Tell an artist who asked them to collaborate."""
        await self._record(
            event.recipient_id, Kind.COLLABORATION_REQUESTED, event.request_id,
            event.requester_id, event.occurred_at,
        )  # fmt: skip

    async def collaboration_accepted(self, event: CollaborationAccepted) -> None:
        """Tell the artist who asked that the other said yes."""
        await self._record(
            event.requester_id, Kind.COLLABORATION_ACCEPTED, event.request_id,
            event.recipient_id, event.occurred_at,
        )  # fmt: skip

    def subscribe(self, bus: MessageBus) -> None:
        """Register every handler on the bus."""
        bus.subscribe(PatternLiked, self.pattern_liked)
        bus.subscribe(CommentAdded, self.comment_added)
        bus.subscribe(PatternRemixed, self.pattern_remixed)
        bus.subscribe(UserFollowed, self.artist_followed)
        bus.subscribe(CollaborationRequested, self.collaboration_requested)
        bus.subscribe(CollaborationAccepted, self.collaboration_accepted)
