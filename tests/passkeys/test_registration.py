"""Registering passkeys: recent sign-in, single-use challenges bound to the artist, exclusions."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update

from notalabel.auth.security_log import SecurityEvent
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.passkeys.models import PasskeyChallenge, PasskeyUserHandle
from tests.passkeys.helpers import (
    MINE,
    REGISTRATION,
    REGISTRATION_OPTIONS,
    authenticator_for,
    register,
    stale_headers,
)
from tests.passkeys.soft_authenticator import SoftAuthenticator
from tests.users.factories import make_artist


async def test_options_need_a_recent_sign_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "StaleBeats")
    response = await client.post(REGISTRATION_OPTIONS, headers=stale_headers(container, artist))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "reauthentication_required"
    anonymous = await client.post(REGISTRATION_OPTIONS)
    assert anonymous.status_code == 401


async def test_options_use_a_random_handle_and_the_configured_relying_party(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "HandleBeats")
    first = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    second = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    assert first["rp"]["id"] == container.settings.passkey_rp_id
    assert first["user"]["name"] == "HandleBeats"
    assert first["user"]["id"] == second["user"]["id"]
    assert artist.user.id not in first["user"]["id"]
    assert first["challenge"] != second["challenge"]
    assert first["authenticatorSelection"]["residentKey"] == "preferred"
    assert first["authenticatorSelection"]["userVerification"] == "preferred"
    async with container.db.transaction() as tx:
        handle = await tx.scalar(
            select(PasskeyUserHandle.handle).where(PasskeyUserHandle.user_id == artist.user.id)
        )
    assert handle == first["user"]["id"]


async def test_register_lists_and_logs_the_passkey(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "KeyBeats")
    created = await register(client, artist, authenticator_for(container), name="Laptop")
    assert created["name"] == "Laptop"
    assert created["transports"] == ["internal"]
    listed = (await client.get(MINE, headers=artist.headers)).json()
    assert [p["id"] for p in listed] == [created["id"]]
    assert not {"publicKey", "credentialId", "signCount"} & set(listed[0])
    async with container.db.transaction() as tx:
        kinds = list(
            await tx.scalars(
                select(SecurityEvent.kind).where(SecurityEvent.user_id == artist.user.id)
            )
        )
    assert kinds == ["passkey_added"]


async def test_existing_passkeys_are_excluded(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ExcludeBeats")
    authenticator = authenticator_for(container)
    await register(client, artist, authenticator)
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    assert [c["id"] for c in options["excludeCredentials"]] == [authenticator.id]
    again = await client.post(
        REGISTRATION, json={"credential": authenticator.create(options)}, headers=artist.headers
    )
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "passkey_registration_failed"
    assert again.json()["error"]["message"] == "This passkey is already registered."


async def test_a_registration_challenge_is_single_use(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "OnceBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    first = authenticator_for(container).create(options)
    second = authenticator_for(container).create(options)
    ok = await client.post(REGISTRATION, json={"credential": first}, headers=artist.headers)
    assert ok.status_code == 201
    replay = await client.post(REGISTRATION, json={"credential": second}, headers=artist.headers)
    assert replay.status_code == 400


async def test_a_registration_challenge_belongs_to_its_artist(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "OwnerBeats")
    thief = await make_artist(container, "ThiefBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=owner.headers)).json()
    credential = authenticator_for(container).create(options)
    stolen = await client.post(REGISTRATION, json={"credential": credential}, headers=thief.headers)
    assert stolen.status_code == 400
    still = await client.post(REGISTRATION, json={"credential": credential}, headers=owner.headers)
    assert still.status_code == 201


async def test_an_expired_registration_challenge_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "LateBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    async with container.db.transaction() as tx:
        await tx.execute(update(PasskeyChallenge).values(expires_at=utcnow()))
    late = await client.post(
        REGISTRATION,
        json={"credential": authenticator_for(container).create(options)},
        headers=artist.headers,
    )
    assert late.status_code == 400


async def test_a_wrong_origin_is_refused(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "PhishedBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    phished = SoftAuthenticator(origin="https://not-a-label.example").create(options)
    response = await client.post(REGISTRATION, json={"credential": phished}, headers=artist.headers)
    assert response.status_code == 400
    assert (await client.get(MINE, headers=artist.headers)).json() == []


async def test_registering_needs_a_recent_sign_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "SlowBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    response = await client.post(
        REGISTRATION,
        json={"credential": authenticator_for(container).create(options)},
        headers=stale_headers(container, artist),
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "reauthentication_required"


async def test_garbage_is_a_failed_registration(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "GarbageBeats")
    response = await client.post(
        REGISTRATION, json={"credential": {"id": "x"}}, headers=artist.headers
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "passkey_registration_failed"
    assert response.json()["error"]["message"] == "The passkey could not be verified."


async def test_a_registration_challenge_lives_five_minutes(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "TimelyBeats")
    options = (await client.post(REGISTRATION_OPTIONS, headers=artist.headers)).json()
    assert options["timeout"] == 300_000
    async with container.db.transaction() as tx:
        challenge = (await tx.scalars(select(PasskeyChallenge))).one()
    assert timedelta(minutes=4) < challenge.expires_at - utcnow() <= timedelta(minutes=5)
