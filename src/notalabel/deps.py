"""Typed FastAPI dependencies shared by the feature routers."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from notalabel.auth.exceptions import ReauthenticationRequired
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.errors import Unauthorized
from notalabel.security import INVALID_TOKEN, NO_TOKEN
from notalabel.users.models import User
from notalabel.users.service import ClientInfo, Principal

# Dependencies are `async def` even where they do not await: FastAPI runs a plain `def`
# dependency on a worker thread, a hand-off per request.


async def get_container(request: Request) -> Container:
    """The application's wired services."""
    container: Container = request.app.state.container
    return container


async def get_client(request: Request) -> ClientInfo:
    """Who is calling, for session metadata and device lists."""
    return ClientInfo(
        ip_address=request.client.host if request.client else "",
        user_agent=request.headers.get("user-agent", ""),
        referrer=request.headers.get("referer", ""),
    )


ContainerDep = Annotated[Container, Depends(get_container)]
ClientDep = Annotated[ClientInfo, Depends(get_client)]
_bearer = HTTPBearer(auto_error=False, description="Access token from onboarding or login")


async def get_principal(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The signed-in artist and device; 401 with the seed's messages otherwise."""
    if credentials is None or not credentials.credentials:
        raise Unauthorized(NO_TOKEN)
    claims = container.tokens.verify_access(credentials.credentials)
    principal = await container.users.authenticate(claims)
    if principal is None:
        raise Unauthorized(INVALID_TOKEN)
    return principal


async def get_optional_principal(
    container: ContainerDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal | None:
    """The signed-in artist when a token is sent; a bad token is still a 401."""
    if credentials is None or not credentials.credentials:
        return None
    return await get_principal(container, credentials)


async def get_recent_principal(
    principal: Annotated[Principal, Depends(get_principal)], container: ContainerDep
) -> Principal:
    """The signed-in artist, proven recently enough for a sensitive change."""
    window = timedelta(minutes=container.settings.reauth_minutes)
    if utcnow() - principal.authenticated_at > window:
        raise ReauthenticationRequired(
            f"This change needs a sign-in from the last {container.settings.reauth_minutes} "
            "minutes: re-authenticate with your password, a passkey or a recovery code "
            "(POST /api/auth/reauthenticate) and try again.",
        )
    return principal


async def get_current_user(principal: Annotated[Principal, Depends(get_principal)]) -> User:
    """The signed-in artist."""
    return principal.user


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
RecentPrincipal = Annotated[Principal, Depends(get_recent_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(get_optional_principal)]
CurrentUser = Annotated[User, Depends(get_current_user)]
