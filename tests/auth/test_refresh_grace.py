"""A refresh token presented again within the grace window gets the same successor."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from sqlalchemy import select, update

from notalabel.auth.events import RefreshTokenReused
from notalabel.auth.refresh_grace import open_successor, seal_successor
from notalabel.auth.security_log import AccountSecurityChanged, SecurityEvent
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.events import Event
from notalabel.security import hash_token
from notalabel.users.models import Device, RefreshToken
from tests.users.factories import make_artist

REFRESH = "/api/auth/refresh"


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refreshToken": token})


async def age_token(container: Container, token: str, seconds: int) -> None:
    """Move the clock: the token was rotated `seconds` ago."""
    async with container.db.transaction() as tx:
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == hash_token(token))
            .values(used_at=utcnow() - timedelta(seconds=seconds))
        )


async def stored(container: Container, token: str) -> RefreshToken:
    async with container.db.transaction() as tx:
        row = await tx.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == hash_token(token))
        )
    assert row is not None
    return row


async def test_concurrent_refreshes_share_one_successor(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Racer")
    answers = await asyncio.gather(*(refresh(client, artist.refresh_token) for _ in range(10)))
    assert [r.status_code for r in answers] == [200] * 10, [r.text for r in answers]
    successors = {r.json()["refreshToken"] for r in answers}
    assert len(successors) == 1
    for answer in answers:
        headers = {"Authorization": f"Bearer {answer.json()['token']}"}
        assert (await client.get("/api/users/me", headers=headers)).status_code == 200
    # the device stays signed in and the one successor rotates on as usual
    async with container.db.transaction() as tx:
        device = await tx.scalar(select(Device).where(Device.user_id == artist.user.id))
        issued = (await tx.scalars(select(RefreshToken))).all()
    assert device is not None
    assert device.revoked_at is None
    assert len(issued) == 2
    assert (await refresh(client, successors.pop())).status_code == 200


async def test_reuse_after_the_grace_window_revokes_the_device(
    client: httpx.AsyncClient, container: Container
) -> None:
    published: list[Event] = []

    async def remember(event: Event) -> None:
        published.append(event)

    container.bus.subscribe(RefreshTokenReused, remember)
    container.bus.subscribe(AccountSecurityChanged, remember)
    artist = await make_artist(container, "LateReplay")
    rotated = (await refresh(client, artist.refresh_token)).json()
    await age_token(container, artist.refresh_token, seconds=11)
    replay = await refresh(client, artist.refresh_token)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "invalid_refresh_token"
    assert (await refresh(client, rotated["refreshToken"])).status_code == 401
    assert (await client.get("/api/users/me", headers=artist.headers)).status_code == 401
    assert (await stored(container, artist.refresh_token)).successor_sealed is None
    async with container.db.transaction() as tx:
        kinds = (await tx.scalars(select(SecurityEvent.kind))).all()
    assert list(kinds) == ["refresh_token_reused"]
    device_id = container.tokens.verify_access(artist.token).device_id
    assert published == [
        RefreshTokenReused(
            user_id=artist.user.id, device_id=device_id, occurred_at=published[0].occurred_at
        ),
        AccountSecurityChanged(
            user_id=artist.user.id,
            kind="refresh_token_reused",
            device_id=device_id,
            occurred_at=published[1].occurred_at,
        ),
    ]


async def test_a_retry_within_the_window_gets_the_same_tokens_back(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Retrier")
    first = (await refresh(client, artist.refresh_token)).json()
    await age_token(container, artist.refresh_token, seconds=9)
    retry = await refresh(client, artist.refresh_token)
    assert retry.status_code == 200
    assert retry.json()["refreshToken"] == first["refreshToken"]


async def test_the_sealed_successor_is_cleared_after_the_window(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Sealed")
    second = (await refresh(client, artist.refresh_token)).json()["refreshToken"]
    sealed = (await stored(container, artist.refresh_token)).successor_sealed
    assert sealed is not None
    assert second.encode() not in sealed
    await age_token(container, artist.refresh_token, seconds=60)
    assert (await refresh(client, second)).status_code == 200
    assert (await stored(container, artist.refresh_token)).successor_sealed is None


async def test_an_expired_refresh_token_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Expired")
    async with container.db.transaction() as tx:
        await tx.execute(update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = await refresh(client, artist.refresh_token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_refresh_token"


def test_only_the_old_token_opens_the_sealed_successor() -> None:
    sealed = seal_successor("old-token", "new-token")
    assert open_successor("old-token", sealed) == "new-token"
    assert open_successor("another-token", sealed) is None
    assert open_successor("old-token", sealed[:-1] + bytes([sealed[-1] ^ 1])) is None
