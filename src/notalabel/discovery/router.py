"""Feed and search routes: `/api/feeds/{recent,trending,following}` and `/api/patterns/search`.

Include this router before the patterns router: `/api/patterns/search` must not be taken
for the pattern id "search".
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notalabel.deps import ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.discovery.cursor import MAX_CURSOR_LENGTH
from notalabel.discovery.feeds import Feed
from notalabel.discovery.schemas import FeedFilters, FeedPage
from notalabel.discovery.search import MAX_QUERY_LENGTH
from notalabel.engine.vocabulary import Genre, Mood
from notalabel.schemas import error_responses

router = APIRouter(tags=["discovery"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]
GenreFilter = Annotated[Genre | None, Query(description="Only this genre (canonical id)")]
MoodFilter = Annotated[Mood | None, Query(description="Only this mood (canonical id)")]
TagFilter = Annotated[
    str | None, Query(min_length=1, max_length=128, description="Only patterns with this tag")
]
SearchQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_QUERY_LENGTH,
        description="Words to find in titles, tags and descriptions",
    ),
]


@router.get("/api/feeds/filters", response_model=FeedFilters)
async def feed_filters() -> FeedFilters:
    """The genre and mood ids the feeds accept as filters."""
    return _FILTERS


_FILTERS = FeedFilters(genres=list(Genre), moods=list(Mood))


@router.get("/api/feeds/recent", response_model=FeedPage, responses=error_responses(401, 422))
async def recent(
    principal: OptionalPrincipal,
    container: ContainerDep,
    *,
    genre: GenreFilter = None,
    mood: MoodFilter = None,
    tag: TagFilter = None,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> FeedPage:
    """Public patterns, newest first; a token is optional."""
    viewer = principal.user.id if principal else None
    return await container.discovery.feed(
        Feed.RECENT, viewer, genre=genre, mood=mood, tag=tag, limit=limit, cursor=cursor
    )


@router.get("/api/feeds/trending", response_model=FeedPage, responses=error_responses(401, 422))
async def trending(
    principal: OptionalPrincipal,
    container: ContainerDep,
    *,
    genre: GenreFilter = None,
    mood: MoodFilter = None,
    tag: TagFilter = None,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> FeedPage:
    """Public patterns by engagement with a one-day half-life (see the README)."""
    viewer = principal.user.id if principal else None
    return await container.discovery.feed(
        Feed.TRENDING, viewer, genre=genre, mood=mood, tag=tag, limit=limit, cursor=cursor
    )


@router.get("/api/feeds/following", response_model=FeedPage, responses=error_responses(401, 422))
async def following(
    me: CurrentUser,
    container: ContainerDep,
    *,
    genre: GenreFilter = None,
    mood: MoodFilter = None,
    tag: TagFilter = None,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> FeedPage:
    """Public patterns of the artists the caller follows, newest first."""
    return await container.discovery.feed(
        Feed.FOLLOWING, me.id, genre=genre, mood=mood, tag=tag, limit=limit, cursor=cursor
    )


@router.get("/api/patterns/search", response_model=FeedPage, responses=error_responses(401, 422))
async def search(
    q: SearchQuery,
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> FeedPage:
    """Public patterns whose title, tags or description hold the words, best match first."""
    viewer = principal.user.id if principal else None
    return await container.discovery.search(q, viewer, limit=limit, cursor=cursor)
