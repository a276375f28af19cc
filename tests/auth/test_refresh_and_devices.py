"""Refresh-token rotation, reuse detection, logout and the device list."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select, update

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.security import hash_token
from notalabel.users.models import Device, RefreshToken
from tests.users.factories import make_artist

REFRESH = "/api/auth/refresh"


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refreshToken": token})


async def past_the_grace_window(container: Container) -> None:
    """Move the clock so every rotated token was used longer ago than the reuse grace window."""
    async with container.db.transaction() as tx:
        await tx.execute(
            update(RefreshToken)
            .where(RefreshToken.used_at.is_not(None))
            .values(used_at=utcnow() - timedelta(minutes=1))
        )


async def test_refresh_rotates_the_token(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Rotator")
    first = await refresh(client, artist.refresh_token)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["refreshToken"] != artist.refresh_token
    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    second = await refresh(client, body["refreshToken"])
    assert second.status_code == 200


async def test_refresh_tokens_are_stored_only_as_hashes(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Hashed")
    async with container.db.transaction() as tx:
        stored = (await tx.scalars(select(RefreshToken.token_hash))).all()
    assert artist.refresh_token not in stored
    assert hash_token(artist.refresh_token) in stored


async def test_reusing_a_rotated_token_revokes_the_whole_family(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Reuse")
    rotated = (await refresh(client, artist.refresh_token)).json()
    await past_the_grace_window(container)
    stolen_replay = await refresh(client, artist.refresh_token)
    assert stolen_replay.status_code == 401
    assert stolen_replay.json()["error"]["code"] == "invalid_refresh_token"
    # the legitimate newer tokens of that family are dead too
    assert (await refresh(client, rotated["refreshToken"])).status_code == 401
    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {rotated['token']}"})
    assert me.status_code == 401
    assert (await client.get("/api/users/me", headers=artist.headers)).status_code == 401


async def test_reuse_revokes_only_that_device(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "TwoDevices")
    phone_tokens = await _second_device(client, container, laptop.user.id)
    await refresh(client, laptop.refresh_token)
    await past_the_grace_window(container)
    await refresh(client, laptop.refresh_token)  # replay: laptop family revoked
    phone = await client.get(
        "/api/users/me", headers={"Authorization": f"Bearer {phone_tokens[0]}"}
    )
    assert phone.status_code == 200


async def test_unknown_or_malformed_refresh_token_is_rejected(client: httpx.AsyncClient) -> None:
    assert (await refresh(client, "never-issued")).status_code == 401
    empty = await client.post(REFRESH, json={"refreshToken": ""})
    assert empty.status_code == 422


async def test_logout_revokes_current_device_and_its_refresh_token(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Leaver")
    assert (await client.post("/api/auth/logout", headers=artist.headers)).status_code == 204
    assert (await refresh(client, artist.refresh_token)).status_code == 401
    assert (await client.post("/api/auth/logout")).status_code == 401


async def test_devices_list_and_revoke_one(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Gadgets", user_agent="Mozilla/5.0 (iPhone) Mobile")
    other_token, _ = await _second_device(client, container, artist.user.id)
    listed = await client.get("/api/users/me/devices", headers=artist.headers)
    assert listed.status_code == 200
    devices = listed.json()
    assert len(devices) == 2
    current = [d for d in devices if d["current"]]
    assert len(current) == 1
    assert current[0]["deviceType"] == "mobile"
    assert current[0]["loginMethod"] == "musical_identity"
    other = next(d for d in devices if not d["current"])
    revoked = await client.delete(f"/api/users/me/devices/{other['id']}", headers=artist.headers)
    assert revoked.status_code == 204
    gone = await client.get("/api/users/me", headers={"Authorization": f"Bearer {other_token}"})
    assert gone.status_code == 401
    again = await client.delete(f"/api/users/me/devices/{other['id']}", headers=artist.headers)
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "device_not_found"


async def test_cannot_revoke_someone_elses_device(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Owner")
    intruder = await make_artist(container, "Intruder")
    async with container.db.transaction() as tx:
        device_id = await tx.scalar(select(Device.id).where(Device.user_id == owner.user.id))
    response = await client.delete(f"/api/users/me/devices/{device_id}", headers=intruder.headers)
    assert response.status_code == 404
    assert (await client.get("/api/users/me", headers=owner.headers)).status_code == 200
    async with container.db.transaction() as tx:
        live = await tx.scalar(
            select(func.count()).select_from(Device).where(Device.revoked_at.is_(None))
        )
    assert live == 2


async def _second_device(
    client: httpx.AsyncClient, container: Container, user_id: str
) -> tuple[str, str]:
    """Sign the same user in again, as from another device."""
    from notalabel.users.models import User
    from notalabel.users.service import ClientInfo, sign_in

    async with container.db.transaction() as tx:
        user = await tx.get(User, user_id)
        assert user is not None
        signed = await sign_in(
            tx, container.tokens, user, "email", ClientInfo(user_agent="Desktop Firefox")
        )
    return signed.access_token, signed.refresh_token
