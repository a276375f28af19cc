"""Like, play, share and comment routes under /api/patterns/{id} and /api/comments/{id}."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from notalabel.deps import ClientDep, ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.engagement.schemas import (
    CommentIn,
    CommentLikeState,
    CommentOut,
    CommentPage,
    LikeState,
    PlayState,
    ShareState,
)
from notalabel.schemas import error_responses
from notalabel.social.cursor import MAX_CURSOR_LENGTH

router = APIRouter(prefix="/api", tags=["engagement"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


@router.get(
    "/patterns/{pattern_id}/like",
    response_model=LikeState,
    responses=error_responses(401, 404, 422),
)
async def like_state(pattern_id: str, me: CurrentUser, container: ContainerDep) -> LikeState:
    """Whether the caller likes a pattern, and its like count."""
    return await container.engagement.like_state(me.id, pattern_id)


@router.put(
    "/patterns/{pattern_id}/like",
    response_model=LikeState,
    responses=error_responses(401, 404, 422),
)
async def like(pattern_id: str, me: CurrentUser, container: ContainerDep) -> LikeState:
    """Like a pattern (idempotent); answers with its like count."""
    return await container.engagement.like(me.id, pattern_id)


@router.delete(
    "/patterns/{pattern_id}/like",
    response_model=LikeState,
    responses=error_responses(401, 404, 422),
)
async def unlike(pattern_id: str, me: CurrentUser, container: ContainerDep) -> LikeState:
    """Take a like back (idempotent)."""
    return await container.engagement.unlike(me.id, pattern_id)


@router.post(
    "/patterns/{pattern_id}/play",
    response_model=PlayState,
    responses=error_responses(401, 404, 422),
)
async def play(
    pattern_id: str, principal: OptionalPrincipal, client: ClientDep, container: ContainerDep
) -> PlayState:
    """Count a play: once per listener (artist, or address) per pattern per 10 minutes."""
    viewer = principal.user.id if principal else None
    return await container.engagement.play(pattern_id, viewer, client.ip_address)


@router.post(
    "/patterns/{pattern_id}/share",
    response_model=ShareState,
    responses=error_responses(401, 404, 422),
)
async def share(
    pattern_id: str, principal: OptionalPrincipal, container: ContainerDep
) -> ShareState:
    """Count a share; answers with the strudel.cc link to share."""
    viewer = principal.user.id if principal else None
    return await container.engagement.share(pattern_id, viewer)


@router.post(
    "/patterns/{pattern_id}/comments",
    status_code=201,
    response_model=CommentOut,
    responses=error_responses(401, 404, 422),
)
async def add_comment(
    pattern_id: str, body: CommentIn, me: CurrentUser, container: ContainerDep
) -> CommentOut:
    """Comment on a pattern (1 to 1,000 characters after trimming)."""
    return await container.engagement.add_comment(me.id, pattern_id, body.body)


@router.get(
    "/patterns/{pattern_id}/comments",
    response_model=CommentPage,
    responses=error_responses(401, 404, 422),
)
async def comments(
    pattern_id: str,
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> CommentPage:
    """A pattern's comments, oldest first; a token is optional."""
    viewer = principal.user.id if principal else None
    return await container.engagement.comments(pattern_id, viewer, limit, cursor)


@router.delete(
    "/comments/{comment_id}",
    status_code=204,
    response_class=Response,
    responses=error_responses(401, 403, 404, 422),
)
async def delete_comment(comment_id: str, me: CurrentUser, container: ContainerDep) -> Response:
    """Delete a comment: its author, or the creator of the pattern it is on."""
    await container.engagement.delete_comment(me.id, comment_id)
    return Response(status_code=204)


@router.put(
    "/comments/{comment_id}/like",
    response_model=CommentLikeState,
    responses=error_responses(401, 404, 422),
)
async def like_comment(
    comment_id: str, me: CurrentUser, container: ContainerDep
) -> CommentLikeState:
    """Like a comment (idempotent)."""
    return await container.engagement.like_comment(me.id, comment_id)


@router.delete(
    "/comments/{comment_id}/like",
    response_model=CommentLikeState,
    responses=error_responses(401, 404, 422),
)
async def unlike_comment(
    comment_id: str, me: CurrentUser, container: ContainerDep
) -> CommentLikeState:
    """Take a comment like back (idempotent)."""
    return await container.engagement.unlike_comment(me.id, comment_id)
