"""Comments as Core units of work: add, list a page, delete (the counter moves with them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, literal, or_, select
from sqlalchemy.engine import Connection, RowMapping

from notalabel.engagement.counters import COMMENT_LIKES, COMMENTS, PATTERNS, bump
from notalabel.engagement.exceptions import COMMENT_HIDDEN, CommentNotFound
from notalabel.engagement.models import new_comment_id
from notalabel.engagement.schemas import CommentAuthor, CommentOut, CommentPage
from notalabel.social.cursor import Cursor, encode_cursor
from notalabel.social.service import blocked_between
from notalabel.users.models import User

USERS = User.__table__


def add_comment(
    conn: Connection, pattern_id: str, author_id: str, body: str, now: datetime
) -> dict[str, Any]:
    """Store a comment and count it on its pattern; return the stored row."""
    row = {
        "id": new_comment_id(),
        "pattern_id": pattern_id,
        "author_id": author_id,
        "body": body,
        "likes": 0,
        "created_at": now,
    }
    conn.execute(COMMENTS.insert().values(row))
    bump(conn, PATTERNS, "comments", pattern_id, 1)
    return row


def artist_name(conn: Connection, user_id: str) -> str:
    """The artist name of `user_id`."""
    query = select(USERS.c.artist_name).where(USERS.c.id == user_id)
    return str(conn.execute(query).scalar_one())


def comment_out(row: Any, artist_name: str, liked_by_me: bool | None) -> CommentOut:
    """A comment row as the API shows it."""
    return CommentOut(
        id=row["id"],
        pattern_id=row["pattern_id"],
        author=CommentAuthor(id=row["author_id"], artist_name=artist_name),
        body=row["body"],
        likes=row["likes"],
        created_at=row["created_at"],
        liked_by_me=liked_by_me,
    )


def _liked_by(viewer_id: str | None) -> Any:
    if viewer_id is None:
        return literal(None).label("liked_by_me")
    mine = and_(COMMENT_LIKES.c.comment_id == COMMENTS.c.id, COMMENT_LIKES.c.user_id == viewer_id)
    return exists().where(mine).label("liked_by_me")


def comment_page(
    conn: Connection,
    pattern_id: str,
    viewer_id: str | None,
    limit: int,
    after: Cursor | None,
) -> CommentPage:
    """One page of a pattern's comments, oldest first, without those of blocked artists."""
    query = (
        select(COMMENTS, USERS.c.artist_name, _liked_by(viewer_id))
        .join(USERS, USERS.c.id == COMMENTS.c.author_id)
        .where(COMMENTS.c.pattern_id == pattern_id)
    )
    if viewer_id is not None:
        query = query.where(~blocked_between(COMMENTS.c.author_id, literal(viewer_id)))
    if after is not None:
        created = COMMENTS.c.created_at
        query = query.where(
            or_(
                created > after.created_at,
                and_(created == after.created_at, COMMENTS.c.id > after.user_id),
            )
        )
    order = (COMMENTS.c.created_at, COMMENTS.c.id)
    rows = conn.execute(query.order_by(*order).limit(limit + 1)).mappings().all()
    items = [
        comment_out(r, r["artist_name"], None if viewer_id is None else bool(r["liked_by_me"]))
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
    return CommentPage(items=items, next_cursor=next_cursor)


def comment_with_pattern(conn: Connection, comment_id: str) -> RowMapping:
    """The comment with its pattern's creator (`creator_id`), or CommentNotFound."""
    query = (
        select(COMMENTS, PATTERNS.c.creator_id)
        .join(PATTERNS, PATTERNS.c.id == COMMENTS.c.pattern_id)
        .where(COMMENTS.c.id == comment_id)
    )
    row = conn.execute(query).mappings().first()
    if row is None:
        raise CommentNotFound(COMMENT_HIDDEN)
    return row


def delete_comment(conn: Connection, comment_id: str, pattern_id: str) -> bool:
    """Delete the comment and uncount it; False when a concurrent delete got there first."""
    gone = conn.execute(delete(COMMENTS).where(COMMENTS.c.id == comment_id)).rowcount
    bump(conn, PATTERNS, "comments", pattern_id, -gone)
    return gone == 1
