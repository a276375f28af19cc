"""Likes, plays, shares and comments: each one transaction, its events published after it."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.exc import IntegrityError, NoResultFound

from notalabel.db import Database, utcnow
from notalabel.engagement import comments as cm
from notalabel.engagement import counters as ct
from notalabel.engagement.exceptions import (
    COMMENT_HIDDEN,
    PATTERN_HIDDEN,
    CommentNotFound,
    NotYourComment,
    PatternNotFound,
)
from notalabel.engagement.schemas import (
    CommentLikeState,
    CommentOut,
    CommentPage,
    LikeState,
    PlayState,
    ShareState,
)
from notalabel.engine.pattern import share_url
from notalabel.errors import NotFound
from notalabel.events import Event, MessageBus
from notalabel.patterns.access import visible_pattern
from notalabel.patterns.events import CommentAdded, PatternLiked, PatternPlayed
from notalabel.social.cursor import decode_cursor
from notalabel.social.service import either_blocked

T = TypeVar("T")


def listener_key(secret: str) -> bytes:
    """The key that hashes anonymous listeners' addresses, derived from the JWT secret."""
    return hmac.new(secret.encode(), b"notalabel pattern listener", hashlib.sha256).digest()


def _pattern(conn: Connection, pattern_id: str, viewer_id: str | None) -> RowMapping:
    row = visible_pattern(conn, pattern_id, viewer_id)
    if row is None:
        raise PatternNotFound(PATTERN_HIDDEN)
    return row


class EngagementService:
    """What listeners do with patterns, with counters kept exact under concurrency."""

    def __init__(self, db: Database, bus: MessageBus, key: bytes) -> None:
        self._db = db
        self._bus = bus
        self._key = key

    async def _run(self, work: Callable[[Connection], T], missing: NotFound) -> T:
        # a pattern or comment deleted between our read and our write fails the foreign key
        # (or leaves no row to count on): to the caller it is simply gone
        try:
            return await self._db.run(work)
        except (IntegrityError, NoResultFound):
            raise missing from None

    async def like(self, user_id: str, pattern_id: str) -> LikeState:
        """Like a visible pattern (idempotent); PatternLiked only when a like was added."""

        def work(conn: Connection) -> tuple[ct.Counted, list[Event]]:
            row = _pattern(conn, pattern_id, user_id)
            done = ct.like_pattern(conn, pattern_id, user_id, utcnow())
            events: list[Event] = []
            if done.changed:
                events.append(
                    PatternLiked(
                        pattern_id=pattern_id,
                        creator_id=row["creator_id"],
                        user_id=user_id,
                        likes=done.count,
                    )
                )
                self._bus.stage(conn, events)
            return done, events

        done, events = await self._run(work, PatternNotFound(PATTERN_HIDDEN))
        await self._bus.deliver(events)
        return LikeState(liked=True, likes=done.count)

    async def like_state(self, user_id: str, pattern_id: str) -> LikeState:
        """Whether the artist likes a pattern they can see, and its like count."""

        def read(conn: Connection) -> tuple[bool, int]:
            _pattern(conn, pattern_id, user_id)
            return ct.likes_pattern(conn, pattern_id, user_id)

        liked, likes = await self._run(read, PatternNotFound(PATTERN_HIDDEN))
        return LikeState(liked=liked, likes=likes)

    async def unlike(self, user_id: str, pattern_id: str) -> LikeState:
        """Take a like back (idempotent)."""

        def work(conn: Connection) -> ct.Counted:
            _pattern(conn, pattern_id, user_id)
            return ct.unlike_pattern(conn, pattern_id, user_id)

        done = await self._run(work, PatternNotFound(PATTERN_HIDDEN))
        return LikeState(liked=False, likes=done.count)

    def listener(self, user_id: str | None, address: str) -> str:
        """Who a play counts for: the artist, else a keyed hash of the client address."""
        if user_id is not None:
            return user_id
        return "anon_" + hmac.new(self._key, address.encode(), hashlib.sha256).hexdigest()[:40]

    async def play(self, pattern_id: str, user_id: str | None, address: str) -> PlayState:
        """Count a play, at most once per listener per pattern per 10 minutes."""
        listener = self.listener(user_id, address)

        def work(conn: Connection) -> tuple[ct.Counted, list[Event]]:
            row = _pattern(conn, pattern_id, user_id)
            done = ct.count_play(conn, pattern_id, listener, utcnow())
            events: list[Event] = []
            if done.changed:
                events.append(
                    PatternPlayed(
                        pattern_id=pattern_id,
                        creator_id=row["creator_id"],
                        listener_id=user_id,
                        plays=done.count,
                    )
                )
                self._bus.stage(conn, events)
            return done, events

        done, events = await self._run(work, PatternNotFound(PATTERN_HIDDEN))
        await self._bus.deliver(events)
        return PlayState(counted=done.changed, plays=done.count)

    async def share(self, pattern_id: str, user_id: str | None) -> ShareState:
        """Count a share and hand back the pattern's strudel.cc link."""

        def work(conn: Connection) -> tuple[RowMapping, int]:
            row = _pattern(conn, pattern_id, user_id)
            return row, ct.count_share(conn, pattern_id)

        row, shares = await self._run(work, PatternNotFound(PATTERN_HIDDEN))
        return ShareState(shares=shares, share_url=share_url(row["strudel_code"]))

    async def add_comment(self, user_id: str, pattern_id: str, body: str) -> CommentOut:
        """Comment on a visible pattern; CommentAdded after the commit."""

        def work(conn: Connection) -> tuple[CommentOut, list[Event]]:
            pattern = _pattern(conn, pattern_id, user_id)
            row = cm.add_comment(conn, pattern_id, user_id, body, utcnow())
            comment = cm.comment_out(row, cm.artist_name(conn, user_id), False)
            events: list[Event] = [
                CommentAdded(
                    comment_id=comment.id,
                    pattern_id=pattern_id,
                    creator_id=pattern["creator_id"],
                    author_id=user_id,
                )
            ]
            self._bus.stage(conn, events)
            return comment, events

        comment, events = await self._run(work, PatternNotFound(PATTERN_HIDDEN))
        await self._bus.deliver(events)
        return comment

    async def comments(
        self, pattern_id: str, viewer_id: str | None, limit: int, cursor: str | None
    ) -> CommentPage:
        """A page of a visible pattern's comments, oldest first."""
        after = decode_cursor(cursor) if cursor is not None else None

        def read(conn: Connection) -> CommentPage:
            _pattern(conn, pattern_id, viewer_id)
            return cm.comment_page(conn, pattern_id, viewer_id, limit, after)

        return await self._db.read(read)

    async def delete_comment(self, user_id: str, comment_id: str) -> None:
        """Delete a comment: its author or the pattern's creator; others get 403."""

        def work(conn: Connection) -> None:
            row = cm.comment_with_pattern(conn, comment_id)
            if user_id in (row["author_id"], row["creator_id"]):
                cm.delete_comment(conn, comment_id, row["pattern_id"])
                return
            hidden = visible_pattern(conn, row["pattern_id"], user_id) is None or either_blocked(
                conn, row["author_id"], user_id
            )
            if hidden:
                raise CommentNotFound(COMMENT_HIDDEN)
            raise NotYourComment("Only its author or the pattern's creator can delete a comment.")

        await self._run(work, CommentNotFound(COMMENT_HIDDEN))

    async def like_comment(self, user_id: str, comment_id: str) -> CommentLikeState:
        """Like a comment the caller can see (idempotent)."""
        return await self._comment_like(user_id, comment_id, add=True)

    async def unlike_comment(self, user_id: str, comment_id: str) -> CommentLikeState:
        """Take a comment like back (idempotent)."""
        return await self._comment_like(user_id, comment_id, add=False)

    async def _comment_like(self, user_id: str, comment_id: str, *, add: bool) -> CommentLikeState:
        def work(conn: Connection) -> ct.Counted:
            row = ct.visible_comment(conn, comment_id, user_id)
            if visible_pattern(conn, row["pattern_id"], user_id) is None:
                raise CommentNotFound(COMMENT_HIDDEN)
            if add:
                return ct.like_comment(conn, comment_id, user_id, utcnow())
            return ct.unlike_comment(conn, comment_id, user_id)

        done = await self._run(work, CommentNotFound(COMMENT_HIDDEN))
        return CommentLikeState(liked=add, likes=done.count)
