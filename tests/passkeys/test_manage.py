"""Listing and removing passkeys; they go with the account."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from notalabel.auth.security_log import SecurityEvent
from notalabel.container import Container
from notalabel.passkeys.models import Passkey, PasskeyChallenge, PasskeyUserHandle
from notalabel.passkeys.service import passkeys_for_export
from tests.passkeys.helpers import (
    MINE,
    REGISTRATION_OPTIONS,
    authenticator_for,
    register,
    sign_in,
    stale_headers,
)
from tests.users.factories import make_artist


async def test_remove_a_passkey(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "RemoveBeats")
    kept_key, gone_key = authenticator_for(container), authenticator_for(container)
    kept = await register(client, artist, kept_key, name="Phone")
    gone = await register(client, artist, gone_key, name="Old laptop")
    assert [p["name"] for p in (await client.get(MINE, headers=artist.headers)).json()] == [
        "Phone",
        "Old laptop",
    ]
    removed = await client.delete(f"{MINE}/{gone['id']}", headers=artist.headers)
    assert removed.status_code == 204
    assert [p["id"] for p in (await client.get(MINE, headers=artist.headers)).json()] == [
        kept["id"]
    ]
    assert (await sign_in(client, gone_key)).status_code == 401
    assert (await sign_in(client, kept_key)).status_code == 200
    async with container.db.transaction() as tx:
        event = await tx.scalar(
            select(SecurityEvent).where(
                SecurityEvent.user_id == artist.user.id, SecurityEvent.kind == "passkey_removed"
            )
        )
    assert event is not None
    assert event.details["passkeyId"] == gone["id"]


async def test_removing_needs_a_recent_sign_in_and_an_own_passkey(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "GuardBeats")
    other = await make_artist(container, "SnoopBeats")
    passkey = await register(client, artist, authenticator_for(container))
    stale = await client.delete(f"{MINE}/{passkey['id']}", headers=stale_headers(container, artist))
    assert stale.status_code == 401
    assert stale.json()["error"]["code"] == "reauthentication_required"
    foreign = await client.delete(f"{MINE}/{passkey['id']}", headers=other.headers)
    assert foreign.status_code == 404
    assert foreign.json()["error"]["code"] == "passkey_not_found"
    assert len((await client.get(MINE, headers=artist.headers)).json()) == 1


async def test_export_lists_passkeys_without_key_material(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ExportBeats")
    passkey = await register(client, artist, authenticator_for(container), name="Desk")
    async with container.db.transaction() as tx:
        exported = await passkeys_for_export(tx, artist.user.id)
    assert exported == [passkey]
    assert "publicKey" not in exported[0]


async def test_deleting_the_account_removes_its_passkeys(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "LeavingBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    await client.post(REGISTRATION_OPTIONS, headers=artist.headers)
    assert (await client.delete("/api/users/me", headers=artist.headers)).status_code == 204
    async with container.db.transaction() as tx:
        for table in (Passkey, PasskeyUserHandle, PasskeyChallenge):
            assert await tx.scalar(select(func.count()).select_from(table)) == 0
    assert (await sign_in(client, authenticator)).status_code == 401
