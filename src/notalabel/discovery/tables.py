"""The columns discovery reads: the feed card, the stored trend and the tag lookup table.

`patterns.trending_score` and `pattern_tags` come from migration 0008, `following_feed` from
0010; triggers alone write them, so no model maps them; the search columns are in search.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Row
from sqlalchemy.sql.elements import ColumnElement

from notalabel.db import UTCDateTime
from notalabel.discovery.schemas import FeedPage
from notalabel.engine.pattern.share import share_url
from notalabel.patterns.models import Pattern
from notalabel.users.models import User

PATTERNS: sa.Table = Pattern.__table__  # type: ignore[assignment]
USERS: sa.Table = User.__table__  # type: ignore[assignment]
TRENDING: ColumnElement[float] = sa.literal_column("patterns.trending_score", sa.Float())
TAGS = sa.table(
    "pattern_tags",
    sa.column("pattern_id", sa.String()),
    sa.column("tag", sa.String()),
    sa.column("created_at", UTCDateTime()),
)
# PostgreSQL only, kept by migration 0010's triggers: each follower's followed public patterns
FOLLOWING_FEED = sa.table(
    "following_feed",
    sa.column("follower_id", sa.String()),
    sa.column("creator_id", sa.String()),
    sa.column("pattern_id", sa.String()),
    sa.column("created_at", UTCDateTime()),
)
CARD = (
    PATTERNS.c.id,
    PATTERNS.c.creator_id,
    USERS.c.artist_name,
    PATTERNS.c.title,
    PATTERNS.c.description,
    PATTERNS.c.strudel_code,
    PATTERNS.c.bpm,
    PATTERNS.c.key,
    PATTERNS.c.genre,
    PATTERNS.c.mood,
    PATTERNS.c.tags,
    PATTERNS.c.difficulty,
    PATTERNS.c.is_remixable,
    PATTERNS.c.ai_generated,
    PATTERNS.c.likes,
    PATTERNS.c.plays,
    PATTERNS.c.comments,
    PATTERNS.c.remixes,
    PATTERNS.c.original_pattern_id,
    PATTERNS.c.remix_type,
    PATTERNS.c.created_at,
)
WITH_CREATOR = PATTERNS.join(USERS, USERS.c.id == PATTERNS.c.creator_id)


def public_to(viewer: ColumnElement[str] | None) -> ColumnElement[bool]:
    """Public patterns `viewer` (a user id value, or None) may see: nothing private or blocked."""
    # imported here: patterns.access imports social.service, which imports users
    from notalabel.patterns.access import visible_to

    # the plain `is_public = true` term lets the (is_public, ...) feed indexes serve the page
    return sa.and_(PATTERNS.c.is_public == sa.true(), visible_to(viewer))


def page_of(rows: Sequence[Row[Any, *tuple[Any, ...]]], next_cursor: str | None) -> FeedPage:
    """A feed page from rows selected with CARD (first), validated in one go."""
    return FeedPage.model_validate(
        {"items": [_card(row) for row in rows], "next_cursor": next_cursor}
    )


def _card(row: Row[Any, *tuple[Any, ...]]) -> dict[str, Any]:
    # unpacked by position: a Row's attribute access cost more than validating the card
    (
        pattern_id, creator_id, artist_name, title, description, code, bpm, key, genre, mood,
        tags, difficulty, is_remixable, ai_generated, likes, plays, comments, remixes,
        original_pattern_id, remix_type, created_at,
    ) = row[: len(CARD)]  # fmt: skip
    return {
        "id": pattern_id,
        "creator": {"id": creator_id, "artist_name": artist_name},
        "title": title,
        "description": description,
        "code": code,
        "bpm": bpm,
        "key": key,
        "genre": genre,
        "mood": mood,
        "tags": tags or [],
        "difficulty": difficulty,
        "is_remixable": is_remixable,
        "ai_generated": ai_generated,
        "likes": likes,
        "plays": plays,
        "comments": comments,
        "remixes": remixes,
        "share_url": share_url(code),
        "original_pattern_id": original_pattern_id,
        "remix_type": remix_type,
        "created_at": created_at,
    }
