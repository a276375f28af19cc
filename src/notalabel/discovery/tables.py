"""The columns discovery reads: the feed card, the stored trend and the tag lookup table.

`patterns.trending_score` and `pattern_tags` come from migration 0008 and are written only by
its triggers, so no model maps them; the search columns are in search.py.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from notalabel.db import UTCDateTime
from notalabel.discovery.schemas import FeedCreator, FeedPattern
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


def public_to(viewer_id: str | None) -> ColumnElement[bool]:
    """Public patterns `viewer_id` may see: nothing private, nothing across a block."""
    # imported here: patterns.access imports social.service, which imports users
    from notalabel.patterns.access import visible_to

    viewer = None if viewer_id is None else sa.literal(viewer_id, sa.String())
    # the plain `is_public = true` term lets the (is_public, ...) feed indexes serve the page
    return sa.and_(PATTERNS.c.is_public == sa.true(), visible_to(viewer))


def card(row: Any) -> FeedPattern:
    """A feed card from a row selected with CARD."""
    return FeedPattern(
        id=row.id,
        creator=FeedCreator(id=row.creator_id, artist_name=row.artist_name),
        title=row.title,
        description=row.description,
        code=row.strudel_code,
        bpm=row.bpm,
        key=row.key,
        genre=row.genre,
        mood=row.mood,
        tags=list(row.tags or []),
        difficulty=row.difficulty,
        is_remixable=row.is_remixable,
        ai_generated=row.ai_generated,
        likes=row.likes,
        plays=row.plays,
        comments=row.comments,
        remixes=row.remixes,
        share_url=share_url(row.strudel_code),
        original_pattern_id=row.original_pattern_id,
        remix_type=row.remix_type,
        created_at=row.created_at,
    )
