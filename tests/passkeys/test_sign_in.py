"""Signing in with a passkey: tokens like a password login, one 401 for every failure."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import select, update

from notalabel.auth.security_log import SecurityEvent
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.passkeys.models import Passkey, PasskeyChallenge
from notalabel.users.models import Device
from tests.passkeys.helpers import (
    SIGN_IN,
    authenticator_for,
    register,
    sign_in,
    sign_in_options,
)
from tests.users.factories import make_artist


async def _kinds(container: Container, user_id: str) -> list[str]:
    async with container.db.transaction() as tx:
        rows = await tx.scalars(
            select(SecurityEvent.kind)
            .where(SecurityEvent.user_id == user_id)
            .order_by(SecurityEvent.created_at)
        )
    return list(rows)


def _refused(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.json()["error"]["code"] == "invalid_passkey"


async def test_a_passkey_signs_in_a_new_device(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "PasskeyBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    response = await sign_in(client, authenticator)
    assert response.status_code == 200, response.text
    tokens = response.json()
    assert {"token", "refreshToken", "tokenType", "expiresIn"} <= set(tokens)
    assert tokens["deviceKey"]  # known to the password lockout from now on
    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {tokens['token']}"})
    assert me.status_code == 200
    assert me.json()["artistName"] == "PasskeyBeats"
    refreshed = await client.post(
        "/api/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
    )
    assert refreshed.status_code == 200
    async with container.db.transaction() as tx:
        methods = list(
            await tx.scalars(select(Device.login_method).where(Device.user_id == artist.user.id))
        )
        passkey = await tx.scalar(select(Passkey).where(Passkey.user_id == artist.user.id))
    assert sorted(methods) == ["musical_identity", "passkey"]
    assert passkey is not None
    assert passkey.sign_count == 1
    assert passkey.last_used_at is not None
    assert await _kinds(container, artist.user.id) == ["passkey_added", "passkey_used"]


async def test_naming_the_artist_lists_their_passkeys(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "NamedBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    named = await sign_in_options(client, "namedbeats")
    assert [c["id"] for c in named["publicKey"]["allowCredentials"]] == [authenticator.id]
    discoverable = await sign_in_options(client)
    assert discoverable["publicKey"]["allowCredentials"] == []
    assert discoverable["publicKey"]["rpId"] == container.settings.passkey_rp_id
    assert (await sign_in(client, authenticator, "NamedBeats")).status_code == 200


async def test_options_for_another_artist_do_not_sign_this_one_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "MineBeats")
    await make_artist(container, "OtherBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    assert _refused(await sign_in(client, authenticator, "OtherBeats"))


async def test_a_sign_in_challenge_is_single_use(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ReplayBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = await sign_in_options(client)
    body = {
        "challengeId": options["challengeId"],
        "credential": authenticator.get(options["publicKey"]),
    }
    assert (await client.post(SIGN_IN, json=body)).status_code == 200
    assert _refused(await client.post(SIGN_IN, json=body))


async def test_a_failed_attempt_uses_the_challenge_up(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "BurnBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = await sign_in_options(client)
    stranger = authenticator_for(container)
    first = {
        "challengeId": options["challengeId"],
        "credential": stranger.get(options["publicKey"]),
    }
    assert _refused(await client.post(SIGN_IN, json=first))
    second = {
        "challengeId": options["challengeId"],
        "credential": authenticator.get(options["publicKey"]),
    }
    assert _refused(await client.post(SIGN_IN, json=second))


async def test_an_expired_sign_in_challenge_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ExpiredBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = await sign_in_options(client)
    async with container.db.transaction() as tx:
        await tx.execute(update(PasskeyChallenge).values(expires_at=utcnow()))
    body = {
        "challengeId": options["challengeId"],
        "credential": authenticator.get(options["publicKey"]),
    }
    assert _refused(await client.post(SIGN_IN, json=body))


async def test_an_unknown_credential_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    assert _refused(await sign_in(client, authenticator_for(container)))
    garbage = await client.post(SIGN_IN, json={"challengeId": "pkc_x", "credential": {"id": 1}})
    assert _refused(garbage)


async def test_a_counter_that_does_not_advance_is_a_cloned_authenticator(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "CloneBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    assert (await sign_in(client, authenticator)).status_code == 200
    options = await sign_in_options(client)
    clone = authenticator.get(options["publicKey"], advance=False)
    response = await client.post(
        SIGN_IN, json={"challengeId": options["challengeId"], "credential": clone}
    )
    assert _refused(response)
    assert (await _kinds(container, artist.user.id))[-1] == "passkey_counter_mismatch"
    assert (await sign_in(client, authenticator)).status_code == 200


async def test_a_tampered_signature_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "TamperBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = await sign_in_options(client)
    credential = authenticator.get(options["publicKey"])
    other = authenticator_for(container)
    other.credential_id = authenticator.credential_id
    other.user_handle = authenticator.user_handle
    credential["response"]["signature"] = other.get(options["publicKey"])["response"]["signature"]
    response = await client.post(
        SIGN_IN, json={"challengeId": options["challengeId"], "credential": credential}
    )
    assert _refused(response)


async def test_two_answers_racing_on_one_challenge_sign_in_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "RaceBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = await sign_in_options(client)
    body = {
        "challengeId": options["challengeId"],
        "credential": authenticator.get(options["publicKey"]),
    }
    answers = await asyncio.gather(*(client.post(SIGN_IN, json=body) for _ in range(2)))
    assert sorted(a.status_code for a in answers) == [200, 401]


async def test_a_user_handle_of_someone_else_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "HandleOwnBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    authenticator.user_handle = "c29tZW9uZS1lbHNl"
    assert _refused(await sign_in(client, authenticator))
