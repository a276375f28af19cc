"""Likes, plays, shares and comment likes as Core units of work with exact counters.

Each counter moves by the rowcount of the conditional write that justifies it, in the same
transaction: two requests racing on the same row see one insert and one no-op, never two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, and_, delete, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from notalabel.engagement.exceptions import COMMENT_HIDDEN, CommentNotFound
from notalabel.engagement.models import Comment, CommentLike, PatternLike, PatternListen
from notalabel.patterns.models import Pattern
from notalabel.social.service import blocked_between

PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]
LIKES: Table = PatternLike.__table__  # type: ignore[assignment]
LISTENS: Table = PatternListen.__table__  # type: ignore[assignment]
COMMENTS: Table = Comment.__table__  # type: ignore[assignment]
COMMENT_LIKES: Table = CommentLike.__table__  # type: ignore[assignment]

PLAY_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Counted:
    """Whether the write changed a row, and the counter afterwards."""

    changed: bool
    count: int


def dialect_insert(conn: Connection, table: Table) -> Any:
    """INSERT with ON CONFLICT for the connection's dialect (SQLite or PostgreSQL)."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table)


def bump(conn: Connection, table: Table, column: str, row_id: str, by: int) -> int:
    """Add `by` to `table.column` of row `row_id` and return the new value."""
    target = table.c[column]
    if by == 0:
        return int(conn.execute(select(target).where(table.c.id == row_id)).scalar_one())
    bumped = update(table).where(table.c.id == row_id).values({column: target + by})
    return int(conn.execute(bumped.returning(target)).scalar_one())


def like_pattern(conn: Connection, pattern_id: str, user_id: str, now: datetime) -> Counted:
    """Add the like unless it exists; the pattern's counter follows the insert's rowcount."""
    row = {"pattern_id": pattern_id, "user_id": user_id, "created_at": now}
    added = conn.execute(dialect_insert(conn, LIKES).values(row).on_conflict_do_nothing()).rowcount
    return Counted(added == 1, bump(conn, PATTERNS, "likes", pattern_id, added))


def likes_pattern(conn: Connection, pattern_id: str, user_id: str) -> tuple[bool, int]:
    """Whether `user_id` likes the pattern, and its like count."""
    mine = and_(LIKES.c.pattern_id == pattern_id, LIKES.c.user_id == user_id)
    liked = conn.execute(select(literal(1)).where(mine)).first() is not None
    return liked, bump(conn, PATTERNS, "likes", pattern_id, 0)


def unlike_pattern(conn: Connection, pattern_id: str, user_id: str) -> Counted:
    """Remove the like if it exists; the counter follows the delete's rowcount."""
    mine = and_(LIKES.c.pattern_id == pattern_id, LIKES.c.user_id == user_id)
    gone = conn.execute(delete(LIKES).where(mine)).rowcount
    return Counted(gone == 1, bump(conn, PATTERNS, "likes", pattern_id, -gone))


def count_play(conn: Connection, pattern_id: str, listener: str, now: datetime) -> Counted:
    """Count a play unless this listener's last counted play of it is under 10 minutes old."""
    upsert = (
        dialect_insert(conn, LISTENS)
        .values(pattern_id=pattern_id, listener=listener, counted_at=now)
        .on_conflict_do_update(
            index_elements=[LISTENS.c.pattern_id, LISTENS.c.listener],
            set_={"counted_at": now},
            where=LISTENS.c.counted_at <= now - PLAY_WINDOW,
        )
    )
    counted = conn.execute(upsert).rowcount
    return Counted(counted == 1, bump(conn, PATTERNS, "plays", pattern_id, counted))


def count_share(conn: Connection, pattern_id: str) -> int:
    """Add one share and return the new count."""
    return bump(conn, PATTERNS, "shares", pattern_id, 1)


def visible_comment(conn: Connection, comment_id: str, viewer_id: str) -> RowMapping:
    """The comment row unless a block stands between its author and the viewer."""
    query = select(COMMENTS).where(
        COMMENTS.c.id == comment_id, ~blocked_between(COMMENTS.c.author_id, literal(viewer_id))
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        raise CommentNotFound(COMMENT_HIDDEN)
    return row


def like_comment(conn: Connection, comment_id: str, user_id: str, now: datetime) -> Counted:
    """Add the comment like unless it exists; the comment's counter follows."""
    row = {"comment_id": comment_id, "user_id": user_id, "created_at": now}
    insert = dialect_insert(conn, COMMENT_LIKES).values(row).on_conflict_do_nothing()
    added = conn.execute(insert).rowcount
    return Counted(added == 1, bump(conn, COMMENTS, "likes", comment_id, added))


def unlike_comment(conn: Connection, comment_id: str, user_id: str) -> Counted:
    """Remove the comment like if it exists; the counter follows."""
    mine = and_(COMMENT_LIKES.c.comment_id == comment_id, COMMENT_LIKES.c.user_id == user_id)
    gone = conn.execute(delete(COMMENT_LIKES).where(mine)).rowcount
    return Counted(gone == 1, bump(conn, COMMENTS, "likes", comment_id, -gone))
