"""Sign-in routes: credentials, login, refresh, logout, devices."""

from fastapi import APIRouter, Response, status

from notalabel.auth.schemas import (
    CredentialsOut,
    CredentialsRequest,
    DeviceOut,
    LoginRequest,
    RefreshRequest,
    TokensOut,
)
from notalabel.deps import ClientDep, ContainerDep, CurrentPrincipal
from notalabel.schemas import error_responses

router = APIRouter(tags=["auth"])


@router.post(
    "/api/users/me/credentials",
    response_model=CredentialsOut,
    responses=error_responses(401, 409, 422),
)
async def set_credentials(
    body: CredentialsRequest, principal: CurrentPrincipal, container: ContainerDep
) -> CredentialsOut:
    """Attach an email and password to a musical identity (or change them)."""
    return await container.auth.set_credentials(
        principal, body.email, body.password, body.current_password
    )


@router.post("/api/auth/login", response_model=TokensOut, responses=error_responses(401, 422))
async def login(body: LoginRequest, container: ContainerDep, client: ClientDep) -> TokensOut:
    """Sign in with email or artist name and password."""
    return await container.auth.login(body.identifier, body.password, client)


@router.post("/api/auth/refresh", response_model=TokensOut, responses=error_responses(401, 422))
async def refresh(body: RefreshRequest, container: ContainerDep) -> TokensOut:
    """Exchange a refresh token for a new access token and the next refresh token."""
    return await container.auth.refresh(body.refresh_token)


@router.post(
    "/api/auth/logout", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401)
)
async def logout(principal: CurrentPrincipal, container: ContainerDep) -> Response:
    """End this device's sign-in."""
    await container.auth.logout(principal)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/users/me/devices", response_model=list[DeviceOut], responses=error_responses(401))
async def list_devices(principal: CurrentPrincipal, container: ContainerDep) -> list[DeviceOut]:
    """Devices signed in to this account."""
    return await container.auth.devices(principal)


@router.delete(
    "/api/users/me/devices/{device_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
async def revoke_device(
    device_id: str, principal: CurrentPrincipal, container: ContainerDep
) -> Response:
    """Sign one device out."""
    await container.auth.revoke_device(principal.user.id, device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
