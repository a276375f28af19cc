"""Routes of re-authentication, recovery codes and the security log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from notalabel.auth.reauth import AccountSecurity
from notalabel.auth.schemas import TokensOut
from notalabel.auth.security_schemas import (
    ReauthenticateRequest,
    RecoveredOut,
    RecoverRequest,
    RecoveryCodesOut,
    RecoveryStatusOut,
    SecurityEventPage,
)
from notalabel.deps import ClientDep, ContainerDep, CurrentPrincipal, RecentPrincipal
from notalabel.schemas import error_responses
from notalabel.social.cursor import MAX_CURSOR_LENGTH

router = APIRouter(tags=["account security"])
# codes and tokens in a body must never land in a shared or browser cache
NO_STORE = {"Cache-Control": "no-store"}


async def get_account_security(container: ContainerDep) -> AccountSecurity:
    """The re-authentication and recovery service over the container's parts."""
    return AccountSecurity(container.db, container.tokens, container.bus)


SecurityDep = Annotated[AccountSecurity, Depends(get_account_security)]
Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


@router.post(
    "/api/auth/reauthenticate", response_model=TokensOut, responses=error_responses(401, 422)
)
async def reauthenticate(
    body: ReauthenticateRequest,
    principal: CurrentPrincipal,
    security: SecurityDep,
    client: ClientDep,
    response: Response,
) -> TokensOut:
    """Prove this sign-in again (password or recovery code) for the next sensitive change."""
    response.headers.update(NO_STORE)
    return await security.reauthenticate(principal, body.password, body.recovery_code, client)


@router.post("/api/auth/recover", response_model=RecoveredOut, responses=error_responses(401, 422))
async def recover(
    body: RecoverRequest, security: SecurityDep, client: ClientDep, response: Response
) -> RecoveredOut:
    """Sign in with the artist name and a recovery code (each code works once)."""
    response.headers.update(NO_STORE)
    return await security.recover(body.artist_name, body.recovery_code, client)


@router.get(
    "/api/users/me/recovery-codes",
    response_model=RecoveryStatusOut,
    responses=error_responses(401),
)
async def recovery_status(principal: CurrentPrincipal, security: SecurityDep) -> RecoveryStatusOut:
    """How many recovery codes are left (the codes themselves are never shown again)."""
    return await security.recovery_status(principal.user.id)


@router.post(
    "/api/users/me/recovery-codes",
    response_model=RecoveryCodesOut,
    responses=error_responses(401),
)
async def regenerate_recovery_codes(
    principal: RecentPrincipal, security: SecurityDep, client: ClientDep, response: Response
) -> RecoveryCodesOut:
    """Replace every recovery code with a new set, shown this once; needs a recent sign-in."""
    response.headers.update(NO_STORE)
    return await security.regenerate_codes(principal, client)


@router.get(
    "/api/users/me/security-events",
    response_model=SecurityEventPage,
    responses=error_responses(401, 422),
)
async def security_events(
    principal: CurrentPrincipal,
    security: SecurityDep,
    limit: Limit = 20,
    cursor: PageCursor = None,
) -> SecurityEventPage:
    """The account's security log, newest first."""
    return await security.events(principal.user.id, limit, cursor)


@router.post(
    "/api/users/me/security-events/ack",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401),
)
async def acknowledge_security_events(
    principal: CurrentPrincipal, security: SecurityDep
) -> Response:
    """Mark this device's security alerts as seen."""
    await security.acknowledge(principal.device.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
