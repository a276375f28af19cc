"""Community routes: `/api/community/matches` and `/api/community/collaborations`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notalabel.community.schemas import CollaborationList, MatchList
from notalabel.deps import ContainerDep, CurrentUser
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
