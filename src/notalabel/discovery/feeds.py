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
    # SQLite has no LATERAL: there the following feed filters the recent index instead, which
    # its planner does well enough for an embedded, one-machine community
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
    # The newest `limit` patterns of each followed artist (an index range on (creator_id,
    # created_at) each), then the newest of those: the cost follows the number of artists
    # followed, whatever the plan cache holds. A walk of the whole recent index filtered by
    # "followed" is fast for a heavy follower and a full scan for someone who follows one
    # quiet artist; a generic plan could not tell the two apart.
    viewer = sa.bindparam("viewer", type_=sa.String())
    limit = sa.bindparam("limit", type_=sa.Integer())
    followed = followees_of(viewer).subquery("followed")
    theirs = PATTERNS.alias("theirs")
    conditions = [theirs.c.creator_id == followed.c.followee_id, theirs.c.is_public == sa.true()]
    if shape.genre:
        conditions.append(theirs.c.genre == sa.bindparam("genre", type_=sa.String()))
    if shape.mood:
        conditions.append(theirs.c.mood == sa.bindparam("mood", type_=sa.String()))
    if shape.tag:
        tag = sa.bindparam("tag", type_=sa.String())
        conditions.append(sa.exists().where(TAGS.c.pattern_id == theirs.c.id, TAGS.c.tag == tag))
    if shape.after:
        after_key = sa.bindparam("after_key", type_=PATTERNS.c.created_at.type)
        after_id = sa.bindparam("after_id", type_=sa.String())
        conditions.append(after_position(theirs.c.created_at, theirs.c.id, after_key, after_id))
    newest_each = (
        sa.select(theirs.c.id, theirs.c.created_at)
        .where(*conditions)
        .order_by(theirs.c.created_at.desc(), theirs.c.id.desc())
        .limit(limit)
        .lateral("newest_each")
    )
    newest = (
        sa.select(newest_each.c.id)
        .select_from(followed.join(newest_each, sa.true()))
        .where(~blocked_between(followed.c.followee_id, viewer))
        .order_by(newest_each.c.created_at.desc(), newest_each.c.id.desc())
        .limit(limit)
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
