"""Signing another device out is logged; the export carries the sign-in side, never a secret."""

from __future__ import annotations

import json

import httpx

from notalabel.container import Container
from tests.auth.account_helpers import EVENTS, ME, bearer, onboarded, second_device
from tests.users.factories import make_artist


async def test_revoking_another_device_is_logged_and_announced(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "RevokeLogger")
    phone = await second_device(container, artist)
    phone_id = container.tokens.verify_access(phone).device_id

    revoked = await client.delete(f"/api/users/me/devices/{phone_id}", headers=artist.headers)
    assert revoked.status_code == 204, revoked.text

    events = (await client.get(EVENTS, headers=artist.headers)).json()["items"]
    entry = next(e for e in events if e["kind"] == "device_revoked")
    assert entry["details"] == {"revokedDevice": phone_id}
    assert entry["deviceId"] == container.tokens.verify_access(artist.token).device_id


async def test_logging_out_is_not_a_security_event(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "QuietLogout")
    phone = await second_device(container, artist)
    assert (await client.post("/api/auth/logout", headers=bearer(phone))).status_code == 204
    events = (await client.get(EVENTS, headers=artist.headers)).json()["items"]
    assert [e for e in events if e["kind"] == "device_revoked"] == []
    assert (await client.get(ME, headers=artist.headers)).json()["securityAlerts"] == []


async def test_export_has_security_log_recovery_state_and_passkeys_without_secrets(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "ExportedKeys")
    codes = done["recoveryCodes"]
    headers = bearer(done["token"])
    regenerated = await client.post("/api/users/me/recovery-codes", headers=headers)
    assert regenerated.status_code == 200, regenerated.text
    new_codes = regenerated.json()["recoveryCodes"]

    export = await client.get("/api/users/me/export", headers=headers)
    assert export.status_code == 200, export.text
    body = export.json()
    # one set at finalize, one on request
    kinds = [e["kind"] for e in body["securityEvents"]]
    assert kinds == ["recovery_codes_generated", "recovery_codes_generated"]
    assert body["signIn"]["recoveryCodes"]["remaining"] == len(new_codes)
    assert body["passkeys"] == []
    text = json.dumps(body)
    for secret in [*codes, *new_codes, done["refreshToken"], done["token"]]:
        assert secret not in text
    for column in ("code_hash", "codeHash", "key_hash", "keyHash", "public_key", "publicKey"):
        assert column not in text
