"""Passkey ceremonies over the in-process HTTP client, with a software authenticator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from notalabel.container import Container
from notalabel.db import utcnow
from tests.passkeys.soft_authenticator import SoftAuthenticator
from tests.users.factories import Artist

REGISTRATION_OPTIONS = "/api/passkeys/registration/options"
REGISTRATION = "/api/passkeys/registration"
SIGN_IN_OPTIONS = "/api/auth/passkey/options"
SIGN_IN = "/api/auth/passkey"
MINE = "/api/users/me/passkeys"


def authenticator_for(container: Container) -> SoftAuthenticator:
    """A software authenticator on the origin the app expects."""
    return SoftAuthenticator(origin=container.passkeys.relying_party.origins[0])


async def register(
    client: httpx.AsyncClient,
    artist: Artist,
    authenticator: SoftAuthenticator,
    name: str | None = None,
) -> dict[str, Any]:
    """Create a passkey on `artist`'s account; the stored passkey as listed."""
    options = await client.post(REGISTRATION_OPTIONS, headers=artist.headers)
    assert options.status_code == 200, options.text
    body: dict[str, Any] = {"credential": authenticator.create(options.json())}
    if name is not None:
        body["name"] = name
    created = await client.post(REGISTRATION, json=body, headers=artist.headers)
    assert created.status_code == 201, created.text
    result: dict[str, Any] = created.json()
    return result


async def sign_in_options(
    client: httpx.AsyncClient, artist_name: str | None = None
) -> dict[str, Any]:
    """Request options for a passkey sign-in: {challengeId, publicKey}."""
    body = {"artistName": artist_name} if artist_name else {}
    response = await client.post(SIGN_IN_OPTIONS, json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def sign_in(
    client: httpx.AsyncClient, authenticator: SoftAuthenticator, artist_name: str | None = None
) -> httpx.Response:
    """A whole passkey sign-in; the raw answer of POST /api/auth/passkey."""
    options = await sign_in_options(client, artist_name)
    credential = authenticator.get(options["publicKey"])
    return await client.post(
        SIGN_IN, json={"challengeId": options["challengeId"], "credential": credential}
    )


def stale_headers(container: Container, artist: Artist) -> dict[str, str]:
    """A valid token for `artist`'s device whose sign-in is older than the re-auth window."""
    claims = container.tokens.verify_access(artist.token)
    old = utcnow() - timedelta(minutes=container.settings.reauth_minutes + 5)
    token = container.tokens.issue_access(
        artist.user.id, artist.user.artist_name, claims.device_id, old
    )
    return {"Authorization": f"Bearer {token}"}
