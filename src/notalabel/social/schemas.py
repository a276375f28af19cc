"""Bodies of the follow, block and list routes."""

from __future__ import annotations

from datetime import datetime

from notalabel.schemas import ApiModel


class FollowState(ApiModel):
    """Whether the caller follows the artist, and the artist's counts afterwards."""

    following: bool
    followers_count: int
    following_count: int


class BlockState(ApiModel):
    """Whether the caller blocks the artist."""

    blocked: bool


class RelatedArtist(ApiModel):
    """One artist in a followers, following or blocked list."""

    id: str
    artist_name: str
    avatar: str | None
    # when the follow (or, in the blocked list, the block) was made
    followed_at: datetime


class RelationPage(ApiModel):
    """One page of a list, newest first; pass `nextCursor` back to get the next one."""

    items: list[RelatedArtist]
    next_cursor: str | None
