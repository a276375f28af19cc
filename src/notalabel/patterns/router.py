"""Routes of the pattern library: save, read, edit, delete, refine, versions, signature."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from notalabel.deps import ContainerDep, CurrentUser, OptionalPrincipal
from notalabel.patterns.schemas import (
    PatternCreate,
    PatternOut,
    PatternPage,
    PatternUpdate,
    Refined,
    RefineRequest,
    SignatureRequest,
    VersionPage,
)
from notalabel.schemas import error_responses
from notalabel.social.cursor import MAX_CURSOR_LENGTH

router = APIRouter(tags=["patterns"])

PatternId = Annotated[str, Path(max_length=40, description="pattern id (pat_…)")]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


@router.post(
    "/api/patterns",
    status_code=status.HTTP_201_CREATED,
    response_model=PatternOut,
    responses=error_responses(401, 413, 422),
)
async def create_pattern(
    body: PatternCreate, me: CurrentUser, container: ContainerDep
) -> PatternOut:
    """Save a pattern: made by the engine from words and/or DNA, or written by hand."""
    return await container.patterns.create(me.id, body)


@router.get(
    "/api/patterns/{pattern_id}", response_model=PatternOut, responses=error_responses(401, 404)
)
async def read_pattern(
    pattern_id: PatternId, principal: OptionalPrincipal, container: ContainerDep
) -> PatternOut:
    """A pattern; private ones (and a blocked artist's) are 404 to everyone else."""
    return await container.patterns.get(pattern_id, principal.user.id if principal else None)


@router.patch(
    "/api/patterns/{pattern_id}",
    response_model=PatternOut,
    responses=error_responses(401, 403, 404, 409, 413, 422),
)
async def update_pattern(
    pattern_id: PatternId, body: PatternUpdate, me: CurrentUser, container: ContainerDep
) -> PatternOut:
    """Edit the metadata (and the code of a hand-written pattern: a new version)."""
    return await container.patterns.update(me.id, pattern_id, body)


@router.delete(
    "/api/patterns/{pattern_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 409),
)
async def delete_pattern(
    pattern_id: PatternId, me: CurrentUser, container: ContainerDep
) -> Response:
    """Delete the caller's pattern; the signature can't be deleted (choose another first)."""
    await container.patterns.delete(me.id, pattern_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/api/patterns/{pattern_id}/refine",
    response_model=Refined,
    responses=error_responses(401, 403, 404, 422),
)
async def refine_pattern(
    pattern_id: PatternId, body: RefineRequest, me: CurrentUser, container: ContainerDep
) -> Refined:
    """Refine an engine pattern in words; the result is kept as a new version."""
    return await container.patterns.versions.refine(me.id, pattern_id, body.feedback)


@router.get(
    "/api/patterns/{pattern_id}/versions",
    response_model=VersionPage,
    responses=error_responses(401, 404, 422),
)
async def list_versions(
    pattern_id: PatternId,
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> VersionPage:
    """A pattern's versions, newest first."""
    viewer = principal.user.id if principal else None
    return await container.patterns.versions.page(pattern_id, viewer, limit, cursor)


@router.post(
    "/api/patterns/{pattern_id}/versions/{number}/restore",
    response_model=Refined,
    responses=error_responses(401, 403, 404, 422),
)
async def restore_version(
    pattern_id: PatternId,
    number: Annotated[int, Path(ge=1, le=2**31 - 1)],
    me: CurrentUser,
    container: ContainerDep,
) -> Refined:
    """Show an earlier version again, kept as a new version."""
    return await container.patterns.versions.restore(me.id, pattern_id, number)


@router.put(
    "/api/users/me/signature",
    response_model=PatternOut,
    responses=error_responses(401, 404, 409, 422),
)
async def choose_signature(
    body: SignatureRequest, me: CurrentUser, container: ContainerDep
) -> PatternOut:
    """Make one of the caller's public patterns their signature."""
    return await container.patterns.signatures.choose(me.id, body.pattern_id)


@router.get(
    "/api/users/{user_ref}/patterns",
    response_model=PatternPage,
    responses=error_responses(401, 404, 422),
)
async def creator_patterns(
    user_ref: Annotated[str, Path(max_length=64, description="user id, artist name or me")],
    principal: OptionalPrincipal,
    container: ContainerDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> PatternPage:
    """An artist's patterns, newest first: the public ones, or all of them for the artist."""
    viewer = principal.user.id if principal else None
    return await container.patterns.of_creator(user_ref, viewer, limit, cursor)
