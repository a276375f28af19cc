"""The public feeds: recent, trending and following, each filtered by genre, mood or tag."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from notalabel.discovery import cursor
from notalabel.discovery.schemas import FeedPage
from notalabel.discovery.tables import CARD, PATTERNS, TAGS, TRENDING, WITH_CREATOR, card, public_to
from notalabel.social.service import followees_of


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
    source: Any = WITH_CREATOR
    key: ColumnElement[Any] = TRENDING if feed is Feed.TRENDING else PATTERNS.c.created_at
    row_id: ColumnElement[str] = PATTERNS.c.id
    conditions = [public_to(viewer_id)]
    if filters.genre is not None:
        conditions.append(PATTERNS.c.genre == filters.genre)
    if filters.mood is not None:
        conditions.append(PATTERNS.c.mood == filters.mood)
    if filters.tag is not None:
        source = source.join(TAGS, TAGS.c.pattern_id == PATTERNS.c.id)
        conditions.append(TAGS.c.tag == filters.tag)
        if feed is not Feed.TRENDING:
            # the tag table keeps each pattern's created_at: its (tag, created_at) index
            # hands the rows over already in order
            key, row_id = TAGS.c.created_at, TAGS.c.pattern_id
    if feed is Feed.FOLLOWING:
        if viewer_id is None:
            raise ValueError("the following feed needs a viewer")
        conditions.append(PATTERNS.c.creator_id.in_(followees_of(sa.literal(viewer_id))))
    timed = feed is not Feed.TRENDING
    if after is not None:
        position = cursor.decode(feed.value, after, timed=timed)
        conditions.append(after_position(key, row_id, position))
    query = (
        sa.select(*CARD, key.label("sort_key"))
        .select_from(source)
        .where(*conditions)
        .order_by(key.desc(), row_id.desc())
        .limit(limit + 1)
    )
    rows = conn.execute(query).all()
    items = [card(row) for row in rows[:limit]]
    next_cursor = None
    if len(rows) > limit:
        last = rows[limit - 1]
        next_cursor = cursor.encode(feed.value, _key(last.sort_key, timed), last.id)
    return FeedPage(items=items, next_cursor=next_cursor)


def after_position(
    key: ColumnElement[Any], row_id: ColumnElement[str], position: cursor.Position
) -> ColumnElement[bool]:
    """Rows after `position` in (key, id) descending order."""
    # `key <= k` alone is what an index range can use; the OR settles ties by id
    return sa.and_(
        key <= position.key,
        sa.or_(key < position.key, row_id < position.id),
    )


def _key(value: Any, timed: bool) -> datetime | float:
    if timed:
        if not isinstance(value, datetime):
            raise TypeError("a time key was expected")
        return value
    return float(value)
