"""Sign-in routes: credentials, login, refresh, logout, devices."""

from fastapi import APIRouter, Response, status

from notalabel.auth.schemas import (
    CredentialsOut,
    CredentialsRequest,
    DeviceOut,
    EmailRequest,
    LoginRequest,
    PasswordRequest,
    PendingEmailOut,
    RefreshRequest,
    TokensOut,
    VerifyEmailRequest,
)
from notalabel.deps import ClientDep, ContainerDep, CurrentPrincipal, RecentPrincipal
from notalabel.schemas import error_responses

router = APIRouter(tags=["auth"])


@router.post(
    "/api/users/me/credentials",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CredentialsOut,
    responses=error_responses(401, 422, 429, 503),
)
async def set_credentials(
    body: CredentialsRequest,
    principal: CurrentPrincipal,
    container: ContainerDep,
    client: ClientDep,
) -> CredentialsOut:
    """Set the password now and mail a code to the email, which attaches once verified.

    Needs a recent sign-in or the current password (401 reauthentication_required otherwise).
    """
    return await container.auth.set_credentials(
        principal, body.email, body.password, body.current_password, client
    )


@router.put(
    "/api/users/me/password", response_model=CredentialsOut, responses=error_responses(401, 422)
)
async def set_password(
    body: PasswordRequest, principal: CurrentPrincipal, container: ContainerDep, client: ClientDep
) -> CredentialsOut:
    """Set or change the password: a recent sign-in or the current password; others sign out."""
    return await container.auth.set_password(
        principal, body.password, body.current_password, client
    )


@router.post(
    "/api/users/me/email",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PendingEmailOut,
    responses=error_responses(401, 422, 429, 503),
)
async def start_email_change(
    body: EmailRequest, principal: RecentPrincipal, container: ContainerDep, client: ClientDep
) -> PendingEmailOut:
    """Mail a 6-digit code to the address; it attaches when the code comes back."""
    lifetime = await container.email_verification.start(principal, body.email, client)
    return PendingEmailOut(pending_email=body.email, expires_in=int(lifetime.total_seconds()))


@router.post(
    "/api/users/me/email/verify",
    response_model=CredentialsOut,
    responses=error_responses(400, 401, 409, 422),
)
async def verify_email(
    body: VerifyEmailRequest,
    principal: CurrentPrincipal,
    container: ContainerDep,
    client: ClientDep,
) -> CredentialsOut:
    """Attach the pending email with the code mailed to it."""
    email = await container.email_verification.verify(principal, body.code, client)
    return CredentialsOut(email=email, has_password=principal.user.password_hash is not None)


@router.post("/api/auth/login", response_model=TokensOut, responses=error_responses(401, 422))
async def login(body: LoginRequest, container: ContainerDep, client: ClientDep) -> TokensOut:
    """Sign in with email or artist name and password (and this client's deviceKey, if any)."""
    return await container.auth.login(body.identifier, body.password, client, body.device_key)


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
    device_id: str, principal: CurrentPrincipal, container: ContainerDep, client: ClientDep
) -> Response:
    """Sign one device out."""
    await container.auth.revoke_device(
        principal.user.id, device_id, by_device=principal.device.id, client=client
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
