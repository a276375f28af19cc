"""Remix a pattern, list its remixes, and read its lineage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from notalabel.deps import ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.patterns.lineage import LineageService
from notalabel.patterns.remix import RemixService
from notalabel.patterns.remix_schemas import Lineage, RemixIn, RemixOut, RemixPage
from notalabel.schemas import error_responses
from notalabel.social.cursor import MAX_CURSOR_LENGTH

router = APIRouter(prefix="/api/patterns", tags=["patterns"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


async def get_remixes(container: ContainerDep) -> RemixService:
    """The remix service on the application's database and bus."""
    return RemixService(container.db, container.bus)


async def get_lineage(container: ContainerDep) -> LineageService:
    """The lineage reader on the application's database."""
    return LineageService(container.db)


Remixes = Annotated[RemixService, Depends(get_remixes)]
Lineages = Annotated[LineageService, Depends(get_lineage)]


@router.post(
    "/{pattern_id}/remix",
    status_code=201,
    response_model=RemixOut,
    responses=error_responses(401, 403, 404, 413, 422),
)
async def remix(pattern_id: str, body: RemixIn, me: CurrentUser, remixes: Remixes) -> RemixOut:
    """Remix a pattern with new code or with refinements in words (a new pattern of yours)."""
    return await remixes.remix(me.id, pattern_id, body)


@router.get(
    "/{pattern_id}/remixes", response_model=RemixPage, responses=error_responses(401, 404, 422)
)
async def list_remixes(
    pattern_id: str,
    principal: OptionalPrincipal,
    lineages: Lineages,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> RemixPage:
    """The remixes of a pattern, newest first, with who made them and how."""
    viewer = principal.user.id if principal else None
    return await lineages.remixes(pattern_id, viewer, limit, cursor)


@router.get("/{pattern_id}/lineage", response_model=Lineage, responses=error_responses(401, 404))
async def lineage(pattern_id: str, principal: OptionalPrincipal, lineages: Lineages) -> Lineage:
    """The patterns this one was remixed from, and those remixed from it."""
    viewer = principal.user.id if principal else None
    return await lineages.lineage(pattern_id, viewer)
