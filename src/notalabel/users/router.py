"""Routes of artist accounts: own profile, edits, rename, export, deletion, public profiles."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response, status

from notalabel.deps import ContainerDep, CurrentPrincipal, OptionalPrincipal, RecentPrincipal
from notalabel.schemas import error_responses
from notalabel.users.schemas import MeOut, ProfileUpdate, PublicProfileOut, RenameRequest

router = APIRouter(prefix="/api/users", tags=["users"])


@router.get("/me", response_model=MeOut, responses=error_responses(401))
async def read_me(principal: CurrentPrincipal, container: ContainerDep) -> MeOut:
    """The signed-in artist's own profile, private fields included."""
    return await container.profiles.me(principal)


@router.patch("/me", response_model=MeOut, responses=error_responses(401, 422))
async def update_me(
    body: ProfileUpdate, principal: CurrentPrincipal, container: ContainerDep
) -> MeOut:
    """Edit bio, avatar, location, website, social links and preferences."""
    return await container.profiles.update(principal, body)


@router.post("/me/artist-name", response_model=MeOut, responses=error_responses(401, 409, 422))
async def rename_me(
    body: RenameRequest, principal: CurrentPrincipal, container: ContainerDep
) -> MeOut:
    """Take a new artist name."""
    return await container.profiles.rename(principal, body.artist_name)


@router.get("/me/export", responses=error_responses(401))
async def export_me(principal: CurrentPrincipal, container: ContainerDep) -> dict[str, Any]:
    """All of the artist's data as JSON."""
    return await container.erasure.export(principal.user.id)


@router.delete("/me", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401))
async def delete_me(principal: RecentPrincipal, container: ContainerDep) -> Response:
    """Delete the account and its personal data, patterns included; needs a recent sign-in."""
    await container.erasure.delete(principal.user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{user_ref}", response_model=PublicProfileOut, responses=error_responses(401, 404))
async def read_profile(
    user_ref: Annotated[str, Path(max_length=64, description="user id or artist name")],
    viewer: OptionalPrincipal,
    container: ContainerDep,
) -> PublicProfileOut:
    """An artist's public profile."""
    return await container.profiles.public(user_ref, viewer.user.id if viewer else None)
