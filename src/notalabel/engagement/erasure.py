"""Engagement in account erasure: other artists' counters follow, and the export holds it all.

Deleting a user cascades to their likes, comments and comment likes; the counters those rows
justified on OTHER artists' patterns and comments are stored numbers, so they are taken down
here, in the erasure's own transaction, before the cascade removes the rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from notalabel.engagement.counters import COMMENT_LIKES, COMMENTS, LIKES, LISTENS, PATTERNS
from notalabel.users.models import User

USERS = User.__table__


def release_engagement(conn: Connection, user_id: str) -> None:
    """Uncount the user's likes, comments and comment likes on what others made."""
    if conn.dialect.name == "postgresql":
        # waits for the user's likes and comments in flight (their foreign-key checks hold a
        # share lock on this row) and keeps new ones out until the erasure commits, so the
        # rows counted down below are exactly the rows the cascade deletes
        conn.execute(select(USERS.c.id).where(USERS.c.id == user_id).with_for_update())
    others = PATTERNS.c.creator_id != user_id
    liked = select(LIKES.c.pattern_id).where(LIKES.c.user_id == user_id)
    conn.execute(
        update(PATTERNS).where(PATTERNS.c.id.in_(liked), others).values(likes=PATTERNS.c.likes - 1)
    )
    theirs = and_(COMMENTS.c.author_id == user_id, COMMENTS.c.pattern_id == PATTERNS.c.id)
    written = select(func.count()).where(theirs).scalar_subquery()
    commented = select(COMMENTS.c.pattern_id).where(COMMENTS.c.author_id == user_id)
    conn.execute(
        update(PATTERNS)
        .where(PATTERNS.c.id.in_(commented), others)
        .values(comments=PATTERNS.c.comments - written)
    )
    comment_liked = select(COMMENT_LIKES.c.comment_id).where(COMMENT_LIKES.c.user_id == user_id)
    conn.execute(
        update(COMMENTS)
        .where(COMMENTS.c.id.in_(comment_liked), COMMENTS.c.author_id != user_id)
        .values(likes=COMMENTS.c.likes - 1)
    )
    # which patterns the artist played is personal data (no foreign key takes it away);
    # the plays they added stay counted, as plays that happened
    conn.execute(delete(LISTENS).where(LISTENS.c.listener == user_id))


async def erase_engagement(tx: AsyncSession, user_id: str) -> None:
    """`release_engagement` inside the erasure's ORM transaction."""

    def run(session: Session) -> None:
        release_engagement(session.connection(), user_id)

    await tx.run_sync(run)


def _stamp(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _export(conn: Connection, user_id: str) -> dict[str, Any]:
    likes = conn.execute(
        select(LIKES.c.pattern_id, LIKES.c.created_at)
        .where(LIKES.c.user_id == user_id)
        .order_by(LIKES.c.created_at)
    )
    comments = conn.execute(
        select(COMMENTS.c.id, COMMENTS.c.pattern_id, COMMENTS.c.body, COMMENTS.c.created_at)
        .where(COMMENTS.c.author_id == user_id)
        .order_by(COMMENTS.c.created_at)
    )
    comment_likes = conn.execute(
        select(COMMENT_LIKES.c.comment_id, COMMENT_LIKES.c.created_at)
        .where(COMMENT_LIKES.c.user_id == user_id)
        .order_by(COMMENT_LIKES.c.created_at)
    )
    listens = conn.execute(
        select(LISTENS.c.pattern_id, LISTENS.c.counted_at)
        .where(LISTENS.c.listener == user_id)
        .order_by(LISTENS.c.counted_at)
    )
    return {
        "patternLikes": [{"patternId": p, "at": _stamp(at)} for p, at in likes],
        "comments": [
            {"id": c, "patternId": p, "body": b, "at": _stamp(at)} for c, p, b, at in comments
        ],
        "commentLikes": [{"commentId": c, "at": _stamp(at)} for c, at in comment_likes],
        "plays": [{"patternId": p, "lastCountedAt": _stamp(at)} for p, at in listens],
    }


async def engagement_for_export(tx: AsyncSession, user_id: str) -> dict[str, Any]:
    """The artist's likes, comments, comment likes and counted plays, for the export."""
    return await tx.run_sync(lambda session: _export(session.connection(), user_id))
