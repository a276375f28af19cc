"""Bodies of the feed and search routes."""

from __future__ import annotations

from datetime import datetime

from notalabel.engine.vocabulary import Genre, Mood
from notalabel.schemas import ApiOutput


class FeedCreator(ApiOutput):
    """Who made a pattern."""

    id: str
    artist_name: str


class FeedPattern(ApiOutput):
    """A pattern as a feed or a search lists it: playable, with its counters."""

    id: str
    creator: FeedCreator
    title: str
    description: str
    code: str
    bpm: int
    key: str
    genre: str
    mood: str
    tags: list[str]
    difficulty: int
    is_remixable: bool
    ai_generated: bool
    likes: int
    plays: int
    comments: int
    remixes: int
    share_url: str
    original_pattern_id: str | None
    remix_type: str | None
    created_at: datetime


class FeedPage(ApiOutput):
    """One page of a feed or a search; pass `nextCursor` back for the next one."""

    items: list[FeedPattern]
    next_cursor: str | None


class FeedFilters(ApiOutput):
    """The canonical ids the feeds filter by, in the engine's order."""

    genres: list[Genre]
    moods: list[Mood]
