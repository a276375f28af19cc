"""Community routes: matches, collaboration suggestions and requests, collaborators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from notalabel.community.schemas import (
    CollaborationList,
    CollaboratorList,
    MatchList,
    RequestIn,
    RequestLists,
    RequestOut,
)
from notalabel.deps import ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.schemas import error_responses

router = APIRouter(tags=["community"])

MatchLimit = Annotated[int, Query(ge=1, le=50, description="How many artists, 1 to 50")]
MinSimilarity = Annotated[
    float,
    Query(
        alias="minSimilarity",
        ge=0.0,
        le=1.0,
        allow_inf_nan=False,
        description="Leave out artists below this similarity (0 to 1)",
    ),
]


@router.get("/api/community/matches", response_model=MatchList, responses=error_responses(401, 422))
async def matches(
    me: CurrentUser,
    container: ContainerDep,
    limit: MatchLimit = 10,
    min_similarity: MinSimilarity = 0.3,
) -> MatchList:
    """Artists whose music is like yours (the seed's similarity), best first, with reasons."""
    return await container.community.matches(me.id, limit=limit, min_similarity=min_similarity)


@router.get(
    "/api/community/collaborations",
    response_model=CollaborationList,
    responses=error_responses(401),
)
async def collaborations(me: CurrentUser, container: ContainerDep) -> CollaborationList:
    """Up to five artists worth collaborating with: different in the right ways."""
    return await container.community.collaborations(me.id)


RequestId = Annotated[str, Path(max_length=40, description="The request's id")]
ArtistRefPath = Annotated[str, Path(min_length=1, max_length=64, description="Id or name")]


@router.post(
    "/api/community/collaborations/{artist}/request",
    response_model=RequestOut,
    status_code=201,
    responses=error_responses(401, 403, 404, 409, 422),
)
async def request_collaboration(
    artist: ArtistRefPath,
    me: CurrentUser,
    container: ContainerDep,
    body: Annotated[RequestIn | None, Body()] = None,
) -> RequestOut:
    """Ask an artist (by id or name) to collaborate, with an optional message."""
    message = body.message if body is not None else ""
    return await container.collaboration_requests.ask(me.id, artist, message)


@router.get(
    "/api/community/collaboration-requests",
    response_model=RequestLists,
    responses=error_responses(401),
)
async def open_requests(me: CurrentUser, container: ContainerDep) -> RequestLists:
    """Open requests asked of you and made by you, newest first."""
    return await container.collaboration_requests.open_requests(me.id)


@router.post(
    "/api/community/collaboration-requests/{request_id}/accept",
    response_model=RequestOut,
    responses=error_responses(401, 403, 404, 409),
)
async def accept_request(
    request_id: RequestId, me: CurrentUser, container: ContainerDep
) -> RequestOut:
    """Say yes to a request made to you: you become collaborators."""
    return await container.collaboration_requests.accept(me.id, request_id)


@router.post(
    "/api/community/collaboration-requests/{request_id}/decline",
    response_model=RequestOut,
    responses=error_responses(401, 403, 404, 409),
)
async def decline_request(
    request_id: RequestId, me: CurrentUser, container: ContainerDep
) -> RequestOut:
    """Say no to a request made to you."""
    return await container.collaboration_requests.decline(me.id, request_id)


@router.delete(
    "/api/community/collaboration-requests/{request_id}",
    response_model=RequestOut,
    responses=error_responses(401, 403, 404, 409),
)
async def withdraw_request(
    request_id: RequestId, me: CurrentUser, container: ContainerDep
) -> RequestOut:
    """Take back an open request you made."""
    return await container.collaboration_requests.withdraw(me.id, request_id)


@router.get(
    "/api/users/{artist}/collaborators",
    response_model=CollaboratorList,
    responses=error_responses(401, 404, 422),
)
async def collaborators(
    artist: ArtistRefPath, principal: OptionalPrincipal, container: ContainerDep
) -> CollaboratorList:
    """The artists someone collaborates with (accepted requests), most recent first."""
    viewer = principal.user.id if principal else None
    if artist == "me" and viewer is not None:
        artist = viewer
    return await container.collaboration_requests.collaborators(artist, viewer)
