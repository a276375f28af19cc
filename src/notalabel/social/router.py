"""Follow, block and list routes; `{user}` is an id, an artist name, or `me`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notalabel.deps import ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.schemas import error_responses
from notalabel.social.cursor import MAX_CURSOR_LENGTH
from notalabel.social.schemas import BlockState, FollowState, RelationPage

router = APIRouter(prefix="/api/users", tags=["social"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


@router.post(
    "/{user}/follow", response_model=FollowState, responses=error_responses(401, 403, 404, 422)
)
async def follow(user: str, me: CurrentUser, container: ContainerDep) -> FollowState:
    """Follow an artist (idempotent); answers with their counts afterwards."""
    return await container.social.follow(me.id, user)


@router.delete(
    "/{user}/follow", response_model=FollowState, responses=error_responses(401, 404, 422)
)
async def unfollow(user: str, me: CurrentUser, container: ContainerDep) -> FollowState:
    """Stop following an artist (idempotent)."""
    return await container.social.unfollow(me.id, user)


@router.post("/{user}/block", response_model=BlockState, responses=error_responses(401, 404, 422))
async def block(user: str, me: CurrentUser, container: ContainerDep) -> BlockState:
    """Block an artist; follows between the two end, both ways."""
    return await container.social.block(me.id, user)


@router.delete("/{user}/block", response_model=BlockState, responses=error_responses(401, 404, 422))
async def unblock(user: str, me: CurrentUser, container: ContainerDep) -> BlockState:
    """Lift a block (idempotent)."""
    return await container.social.unblock(me.id, user)


@router.get("/me/blocks", response_model=RelationPage, responses=error_responses(401, 422))
async def blocks(
    me: CurrentUser, container: ContainerDep, limit: Limit = 20, cursor: PageCursor = None
) -> RelationPage:
    """The artists the caller has blocked, newest first."""
    return await container.social.blocks(me.id, limit, cursor)


@router.get(
    "/{user}/followers", response_model=RelationPage, responses=error_responses(401, 404, 422)
)
async def followers(
    user: str,
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> RelationPage:
    """Who follows an artist, newest first; a token is optional."""
    viewer = principal.user.id if principal else None
    return await container.social.followers(viewer, user, limit, cursor)


@router.get(
    "/{user}/following", response_model=RelationPage, responses=error_responses(401, 404, 422)
)
async def following(
    user: str,
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> RelationPage:
    """Whom an artist follows, newest first; a token is optional."""
    viewer = principal.user.id if principal else None
    return await container.social.following(viewer, user, limit, cursor)
