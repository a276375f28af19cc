"""Bodies of the like, play, share and comment routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from notalabel.schemas import ApiModel, ApiOutput

MAX_COMMENT_LENGTH = 1000

CommentBody = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_LENGTH),
    Field(
        description=f"1 to {MAX_COMMENT_LENGTH} characters after trimming, no control "
        "characters; plain text, returned exactly as written (clients escape it)."
    ),
]


class LikeState(ApiOutput):
    """Whether the caller likes the pattern, and its like count afterwards."""

    liked: bool
    likes: int


class PlayState(ApiOutput):
    """Whether this play counted (once per listener per 10 minutes) and the play count."""

    counted: bool
    plays: int


class ShareState(ApiOutput):
    """The pattern's share count afterwards and its strudel.cc link."""

    shares: int
    share_url: str


class CommentIn(ApiModel):
    """A new comment."""

    body: CommentBody


class CommentAuthor(ApiOutput):
    """Who wrote a comment."""

    id: str
    artist_name: str


class CommentOut(ApiOutput):
    """A comment on a pattern; `likedByMe` is null for anonymous callers."""

    id: str
    pattern_id: str
    author: CommentAuthor
    body: str
    likes: int
    created_at: datetime
    liked_by_me: bool | None = None


class CommentPage(ApiOutput):
    """One page of comments, oldest first; pass `nextCursor` back for the next one."""

    items: list[CommentOut]
    next_cursor: str | None


class CommentLikeState(ApiOutput):
    """Whether the caller likes the comment, and its like count afterwards."""

    liked: bool
    likes: int
