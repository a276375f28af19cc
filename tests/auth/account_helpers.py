"""Helpers for re-authentication, recovery and security-log tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update

from notalabel.auth.passwords import hash_password
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.users.models import Device, User
from notalabel.users.service import ClientInfo, sign_in
from tests.identity.factories import onboard
from tests.users.factories import Artist

PASSWORD = "violet harmonics 42"
ME = "/api/users/me"
REAUTH = "/api/auth/reauthenticate"
RECOVER = "/api/auth/recover"
CODES = "/api/users/me/recovery-codes"
EVENTS = "/api/users/me/security-events"


def bearer(token: str) -> dict[str, str]:
    """Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


async def give_password(container: Container, user_id: str, password: str = PASSWORD) -> None:
    """Attach a password directly in the database."""
    async with container.db.transaction() as tx:
        await tx.execute(
            update(User).where(User.id == user_id).values(password_hash=hash_password(password))
        )


async def age_sign_in(container: Container, token: str, minutes: int = 11) -> dict[str, str]:
    """Move the token's device sign-in `minutes` into the past; headers of a token saying so."""
    claims = container.tokens.verify_access(token)
    past: datetime = utcnow() - timedelta(minutes=minutes)
    async with container.db.transaction() as tx:
        await tx.execute(
            update(Device).where(Device.id == claims.device_id).values(authenticated_at=past)
        )
    aged = container.tokens.issue_access(claims.user_id, claims.artist_name, claims.device_id, past)
    return bearer(aged)


async def second_device(container: Container, artist: Artist, agent: str = "phone") -> str:
    """Sign the artist in on another device; its access token."""
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
        assert user is not None
        signed = await sign_in(tx, container.tokens, user, "email", ClientInfo(user_agent=agent))
    return signed.access_token


async def onboarded(client: httpx.AsyncClient, name: str) -> dict[str, Any]:
    """A new artist made through the onboarding conversation (with its recovery codes)."""
    return await onboard(client, name)
