"""An expired refresh token is refused without ending its device sign-in."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.security import hash_token
from notalabel.users.models import Device, RefreshToken
from tests.users.factories import make_artist

REFRESH = "/api/auth/refresh"


async def test_stored_refresh_token_expires_after_thirty_days(container: Container) -> None:
    before = utcnow()
    artist = await make_artist(container, "Lifetime")
    async with container.db.transaction() as tx:
        stored = await tx.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == hash_token(artist.refresh_token))
        )
    assert stored is not None
    lifetime = stored.expires_at - before
    assert timedelta(days=30) - timedelta(minutes=1) < lifetime <= timedelta(days=30, minutes=1)


async def test_an_expired_refresh_token_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Expiring")
    async with container.db.transaction() as tx:
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == hash_token(artist.refresh_token))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )

    response = await client.post(REFRESH, json={"refreshToken": artist.refresh_token})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "invalid_refresh_token"
    again = await client.post(REFRESH, json={"refreshToken": artist.refresh_token})
    assert again.status_code == 401

    # expiry is not theft: the device sign-in and its access token keep working
    me = await client.get("/api/users/me", headers=artist.headers)
    assert me.status_code == 200
    async with container.db.transaction() as tx:
        device = await tx.scalar(select(Device).where(Device.user_id == artist.user.id))
    assert device is not None
    assert device.revoked_at is None


async def test_a_refresh_token_still_in_date_works(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "StillFresh")
    async with container.db.transaction() as tx:
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == hash_token(artist.refresh_token))
            .values(expires_at=utcnow() + timedelta(minutes=1))
        )
    response = await client.post(REFRESH, json={"refreshToken": artist.refresh_token})
    assert response.status_code == 200, response.text
