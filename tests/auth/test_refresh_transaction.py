"""A refresh is one transaction: it applies whole or not at all, and touches only its device."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from notalabel.auth import rotation
from notalabel.auth.events import RefreshTokenReused
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


def listen(container: Container) -> list[Event]:
    """Every reuse and security announcement published from now on."""
    published: list[Event] = []

    async def remember(event: Event) -> None:
        published.append(event)

    container.bus.subscribe(RefreshTokenReused, remember)
    container.bus.subscribe(AccountSecurityChanged, remember)
    return published


async def test_a_failure_mid_refresh_leaves_nothing_behind(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    artist = await make_artist(container, "Halfway")

    def broken(presented: str, successor: str) -> bytes:
        raise RuntimeError("sealing failed")

    # the successor is already inserted when sealing runs: it must roll back with the rest
    monkeypatch.setattr(rotation, "seal_successor", broken)
    assert (await refresh(client, artist.refresh_token)).status_code == 500
    async with container.db.transaction() as tx:
        tokens = (await tx.scalars(select(RefreshToken))).all()
    assert [t.token_hash for t in tokens] == [hash_token(artist.refresh_token)]
    assert tokens[0].used_at is None
    monkeypatch.undo()
    assert (await refresh(client, artist.refresh_token)).status_code == 200


async def test_a_refresh_marks_only_its_device_used(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "Marked")
    phone = await make_artist(container, "Other")
    async with container.db.transaction() as tx:
        await tx.execute(update(Device).values(last_used_at=utcnow() - timedelta(days=1)))
    before = utcnow()
    body = (await refresh(client, laptop.refresh_token)).json()
    laptop_device = container.tokens.verify_access(laptop.token).device_id
    async with container.db.transaction() as tx:
        devices = {d.id: d for d in (await tx.scalars(select(Device))).all()}
        successor = await tx.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == hash_token(body["refreshToken"]))
        )
    assert devices[laptop_device].last_used_at >= before
    phone_device = container.tokens.verify_access(phone.token).device_id
    assert devices[phone_device].last_used_at < before
    assert successor is not None
    assert successor.device_id == laptop_device
    assert successor.used_at is None
    assert successor.successor_sealed is None
    assert container.tokens.verify_access(body["token"]).device_id == laptop_device


async def test_a_replay_after_the_seal_was_cleared_still_revokes_and_logs_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    published = listen(container)
    artist = await make_artist(container, "Cleared")
    second = (await refresh(client, artist.refresh_token)).json()["refreshToken"]
    async with container.db.transaction() as tx:
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.token_hash == hash_token(artist.refresh_token))
            .values(used_at=utcnow() - timedelta(minutes=5))
        )
    # rotating the successor drops the old token's stale seal
    assert (await refresh(client, second)).status_code == 200
    replay = await refresh(client, artist.refresh_token)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "invalid_refresh_token"
    async with container.db.transaction() as tx:
        entries = (await tx.scalars(select(SecurityEvent))).all()
        device = await tx.scalar(select(Device))
    assert [e.kind for e in entries] == ["refresh_token_reused"]
    assert entries[0].details["usedSecondsAgo"] >= 300
    assert device is not None
    assert device.revoked_at is not None
    assert [type(e) for e in published] == [RefreshTokenReused, AccountSecurityChanged]


async def test_a_token_of_a_revoked_device_is_refused_quietly(
    client: httpx.AsyncClient, container: Container
) -> None:
    published = listen(container)
    artist = await make_artist(container, "Quiet")
    assert (await client.post("/api/auth/logout", headers=artist.headers)).status_code == 204
    for _ in range(2):
        assert (await refresh(client, artist.refresh_token)).status_code == 401
    async with container.db.transaction() as tx:
        entries = (await tx.scalars(select(SecurityEvent))).all()
        token = await tx.scalar(select(RefreshToken))
    assert entries == []
    assert published == []
    assert token is not None
    assert token.used_at is None
