"""The public feeds: recent, trending and following, each filtered by genre, mood or tag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from notalabel.discovery import cursor
from notalabel.discovery.schemas import FeedPage
from notalabel.discovery.tables import (
    CARD,
    FOLLOWING_FEED,
    PATTERNS,
    TAGS,
    TRENDING,
    WITH_CREATOR,
    page_of,
    public_to,
)
from notalabel.social.service import blocked_between, followees_of


class Feed(StrEnum):
    """Which feed: newest first, rising first, or newest from the artists one follows."""

    RECENT = "recent"
    TRENDING = "trending"
    FOLLOWING = "following"


@dataclass(frozen=True, slots=True)
class Filters:
    """Optional narrowing of a feed: a canonical genre and mood id, a normalised tag."""

    genre: str | None = None
    mood: str | None = None
    tag: str | None = None


def feed_page(
    conn: Connection,
    feed: Feed,
    viewer_id: str | None,
    filters: Filters,
    *,
    limit: int,
    after: str | None,
) -> FeedPage:
    """One page of `feed` as `viewer_id` (None: anonymous) may see it."""
    if feed is Feed.FOLLOWING and viewer_id is None:
        raise ValueError("the following feed needs a viewer")
    timed = feed is not Feed.TRENDING
    params: dict[str, Any] = {
        "viewer": viewer_id,
        "genre": filters.genre,
        "mood": filters.mood,
        "tag": filters.tag,
        "limit": limit + 1,
    }
    if after is not None:
        position = cursor.decode(feed.value, after, timed=timed)
        params |= {"after_key": position.key, "after_id": position.id}
    shape = _Shape(
        feed,
        viewer=viewer_id is not None,
        genre=filters.genre is not None,
        mood=filters.mood is not None,
        tag=filters.tag is not None,
        after=after is not None,
    )
    rows = conn.execute(_statement(shape, conn.dialect.name), params).all()
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursor.encode(feed.value, _key(last.sort_key, timed), last.id)
    return page_of(rows[:limit], next_cursor)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What a feed query looks like apart from its values: one statement per shape."""

    feed: Feed
    viewer: bool
    genre: bool
    mood: bool
    tag: bool
    after: bool


@cache
def _statement(shape: _Shape, dialect: str) -> sa.Select[Any]:
    # SQLite has no following_feed table (migration 0010): there the following feed filters the
    # recent index instead, which is fast enough for an embedded, one-machine community
    if shape.feed is Feed.FOLLOWING and dialect == "postgresql":
        return _following_statement(shape)
    return _public_statement(shape)


def _public_statement(shape: _Shape) -> sa.Select[Any]:
    # built once per shape and reused: SQLAlchemy memoizes a statement's cache key on the
    # object, so a new statement per request cost more than running the query
    source: Any = WITH_CREATOR
    key: ColumnElement[Any] = TRENDING if shape.feed is Feed.TRENDING else PATTERNS.c.created_at
    row_id: ColumnElement[str] = PATTERNS.c.id
    viewer = sa.bindparam("viewer", type_=sa.String()) if shape.viewer else None
    conditions = [public_to(viewer)]
    if shape.genre:
        conditions.append(PATTERNS.c.genre == sa.bindparam("genre", type_=sa.String()))
    if shape.mood:
        conditions.append(PATTERNS.c.mood == sa.bindparam("mood", type_=sa.String()))
    if shape.tag:
        source = source.join(TAGS, TAGS.c.pattern_id == PATTERNS.c.id)
        conditions.append(TAGS.c.tag == sa.bindparam("tag", type_=sa.String()))
        if shape.feed is not Feed.TRENDING:
            # the tag table keeps each pattern's created_at: its (tag, created_at) index
            # hands the rows over already in order
            key, row_id = TAGS.c.created_at, TAGS.c.pattern_id
    if shape.feed is Feed.FOLLOWING:
        assert viewer is not None
        conditions.append(PATTERNS.c.creator_id.in_(followees_of(viewer)))
    if shape.after:
        after_key = sa.bindparam("after_key", type_=key.type)
        after_id = sa.bindparam("after_id", type_=sa.String())
        conditions.append(after_position(key, row_id, after_key, after_id))
    return (
        sa.select(*CARD, key.label("sort_key"))
        .select_from(source)
        .where(*conditions)
        .order_by(key.desc(), row_id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer()))
    )


def _following_statement(shape: _Shape) -> sa.Select[Any]:
    # One index range of the viewer's own feed table (migration 0010), newest first: the cost
    # no longer grows with the number of artists followed. Its rows are public patterns of
    # followed artists by construction; the block check stays for a block made mid-request.
    viewer = sa.bindparam("viewer", type_=sa.String())
    feed = FOLLOWING_FEED
    conditions = [feed.c.follower_id == viewer, ~blocked_between(feed.c.creator_id, viewer)]
    source: Any = feed
    if shape.genre or shape.mood:
        theirs = PATTERNS.alias("theirs")
        source = feed.join(theirs, theirs.c.id == feed.c.pattern_id)
        if shape.genre:
            conditions.append(theirs.c.genre == sa.bindparam("genre", type_=sa.String()))
        if shape.mood:
            conditions.append(theirs.c.mood == sa.bindparam("mood", type_=sa.String()))
    if shape.tag:
        tag = sa.bindparam("tag", type_=sa.String())
        conditions.append(
            sa.exists().where(TAGS.c.pattern_id == feed.c.pattern_id, TAGS.c.tag == tag)
        )
    if shape.after:
        after_key = sa.bindparam("after_key", type_=PATTERNS.c.created_at.type)
        after_id = sa.bindparam("after_id", type_=sa.String())
        conditions.append(after_position(feed.c.created_at, feed.c.pattern_id, after_key, after_id))
    newest = (
        sa.select(feed.c.pattern_id)
        .select_from(source)
        .where(*conditions)
        .order_by(feed.c.created_at.desc(), feed.c.pattern_id.desc())
        .limit(sa.bindparam("limit", type_=sa.Integer()))
    )
    key = PATTERNS.c.created_at
    return (
        sa.select(*CARD, key.label("sort_key"))
        .select_from(WITH_CREATOR)
        .where(PATTERNS.c.id.in_(newest))
        .order_by(key.desc(), PATTERNS.c.id.desc())
    )


def after_position(
    key: ColumnElement[Any],
    row_id: ColumnElement[str],
    after_key: ColumnElement[Any],
    after_id: ColumnElement[str],
) -> ColumnElement[bool]:
    """Rows after (`after_key`, `after_id`) in (key, id) descending order."""
    # `key <= k` alone is what an index range can use; the OR settles ties by id
    return sa.and_(key <= after_key, sa.or_(key < after_key, row_id < after_id))


def _key(value: Any, timed: bool) -> datetime | float:
    if timed:
        if not isinstance(value, datetime):
            raise TypeError("a time key was expected")
        return value
    return float(value)
