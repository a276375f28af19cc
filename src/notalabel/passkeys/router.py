"""Passkey routes: register one, sign in with one, list and remove them."""

from typing import Any

from fastapi import APIRouter, Response, status

from notalabel.auth.schemas import TokensOut
from notalabel.deps import ClientDep, ContainerDep, CurrentPrincipal, RecentPrincipal
from notalabel.passkeys.schemas import (
    PasskeyOut,
    PasskeyRegistrationRequest,
    PasskeySignInOptionsOut,
    PasskeySignInOptionsRequest,
    PasskeySignInRequest,
)
from notalabel.schemas import error_responses

router = APIRouter(tags=["passkeys"])


@router.post("/api/passkeys/registration/options", responses=error_responses(401))
async def registration_options(
    principal: RecentPrincipal, container: ContainerDep
) -> dict[str, Any]:
    """PublicKeyCredentialCreationOptions for a new passkey (needs a recent sign-in)."""
    return await container.passkeys.registration_options(principal)


@router.post(
    "/api/passkeys/registration",
    status_code=status.HTTP_201_CREATED,
    response_model=PasskeyOut,
    responses=error_responses(400, 401, 422),
)
async def register(
    body: PasskeyRegistrationRequest,
    principal: RecentPrincipal,
    container: ContainerDep,
    client: ClientDep,
) -> PasskeyOut:
    """Keep the passkey the browser just created (needs a recent sign-in)."""
    return await container.passkeys.register(principal, body.credential, body.name, client)


@router.post(
    "/api/auth/passkey/options",
    response_model=PasskeySignInOptionsOut,
    responses=error_responses(422),
)
async def sign_in_options(
    container: ContainerDep, body: PasskeySignInOptionsRequest | None = None
) -> PasskeySignInOptionsOut:
    """Options for signing in with a passkey; name the artist or use a discoverable passkey."""
    return await container.passkeys.sign_in_options(body.artist_name if body else None)


@router.post("/api/auth/passkey", response_model=TokensOut, responses=error_responses(401, 422))
async def sign_in(
    body: PasskeySignInRequest, container: ContainerDep, client: ClientDep
) -> TokensOut:
    """Sign in with a passkey: the same tokens as a password login."""
    return await container.passkeys.sign_in(body.challenge_id, body.credential, client)


@router.get(
    "/api/users/me/passkeys", response_model=list[PasskeyOut], responses=error_responses(401)
)
async def list_passkeys(principal: CurrentPrincipal, container: ContainerDep) -> list[PasskeyOut]:
    """The signed-in artist's passkeys, without key material."""
    return await container.passkeys.passkeys(principal)


@router.delete(
    "/api/users/me/passkeys/{passkey_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 404),
)
async def remove_passkey(
    passkey_id: str, principal: RecentPrincipal, container: ContainerDep, client: ClientDep
) -> Response:
    """Remove one passkey (needs a recent sign-in)."""
    await container.passkeys.remove(principal, passkey_id, client)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
