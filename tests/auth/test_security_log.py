"""The security log: every sensitive change recorded, listed, exported and shown as alerts."""

from __future__ import annotations

from typing import Any

import httpx

from notalabel.auth.security_feed import export_for
from notalabel.auth.security_log import AccountSecurityChanged, record_security_event
from notalabel.container import Container
from tests.auth.account_helpers import (
    CODES,
    EVENTS,
    ME,
    PASSWORD,
    REAUTH,
    RECOVER,
    bearer,
    give_password,
    onboarded,
    second_device,
)
from tests.users.factories import make_artist


async def alerts(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await client.get(ME, headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["securityAlerts"]
    return found


async def test_a_change_on_one_device_alerts_the_others_until_they_acknowledge(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "TwoScreens", user_agent="laptop")
    phone = bearer(await second_device(container, laptop, agent="phone"))
    assert await alerts(client, phone) == []
    changed = await client.post(CODES, headers=laptop.headers)
    assert changed.status_code == 200
    seen = await alerts(client, phone)
    assert [a["kind"] for a in seen] == ["recovery_codes_generated"]
    assert seen[0]["deviceId"] == container.tokens.verify_access(laptop.token).device_id
    assert await alerts(client, laptop.headers) == []
    acked = await client.post(EVENTS + "/ack", headers=phone)
    assert acked.status_code == 204
    assert await alerts(client, phone) == []


async def test_a_password_set_elsewhere_is_an_alert(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "PasswordAlert", user_agent="laptop")
    phone = bearer(await second_device(container, laptop, agent="phone"))
    response = await client.put(
        "/api/users/me/password", json={"password": PASSWORD}, headers=laptop.headers
    )
    assert response.status_code == 200, response.text
    kinds = {a["kind"] for a in await alerts(client, phone)}
    assert kinds & {"credentials_set", "password_changed"}
    assert await alerts(client, laptop.headers) == []


async def test_a_recovery_sign_in_alerts_the_existing_devices(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Alerted")
    body = {"artistName": "Alerted", "recoveryCode": done["recoveryCodes"][0]}
    recovered = await client.post(RECOVER, json=body)
    assert recovered.status_code == 200
    kinds = [a["kind"] for a in await alerts(client, bearer(done["token"]))]
    assert kinds == ["signed_in_with_recovery_code", "recovery_code_used"]
    assert await alerts(client, bearer(recovered.json()["token"])) == []


async def test_the_log_pages_newest_first_without_secrets(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Logged")
    headers = bearer(done["token"])
    await give_password(container, done["user"]["id"])
    await client.post(REAUTH, json={"password": "wrong wrong wrong"}, headers=headers)
    renewed = await client.post(REAUTH, json={"password": PASSWORD}, headers=headers)
    headers = bearer(renewed.json()["token"])
    regenerated = (await client.post(CODES, headers=headers)).json()["recoveryCodes"]

    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = await client.get(EVENTS, params=params, headers=headers)
        assert page.status_code == 200, page.text
        seen += page.json()["items"]
        cursor = page.json()["nextCursor"]
        if cursor is None:
            break
    assert [e["kind"] for e in seen] == [
        "recovery_codes_generated",
        "reauthenticated",
        "reauthentication_failed",
        "recovery_codes_generated",
    ]
    assert len({e["id"] for e in seen}) == 4
    first = seen[0]
    assert set(first) == {
        "id",
        "kind",
        "createdAt",
        "deviceId",
        "ipAddress",
        "userAgent",
        "details",
    }
    assert first["deviceId"] == container.tokens.verify_access(done["token"]).device_id
    text = str(seen)
    assert PASSWORD not in text
    assert not any(code in text for code in [*regenerated, *done["recoveryCodes"]])


async def test_a_bad_cursor_is_refused(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "BadCursor")
    response = await client.get(EVENTS, params={"cursor": "nonsense"}, headers=artist.headers)
    assert response.status_code == 422


async def test_each_entry_is_announced_after_commit(
    client: httpx.AsyncClient, container: Container
) -> None:
    heard: list[AccountSecurityChanged] = []

    async def listen(event: AccountSecurityChanged) -> None:
        heard.append(event)

    container.bus.subscribe(AccountSecurityChanged, listen)
    artist = await make_artist(container, "Announced")
    assert (await client.post(CODES, headers=artist.headers)).status_code == 200
    device_id = container.tokens.verify_access(artist.token).device_id
    assert [(e.user_id, e.kind, e.device_id) for e in heard] == [
        (artist.user.id, "recovery_codes_generated", device_id)
    ]


async def test_the_export_reader_lists_the_whole_log(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Exported")
    async with container.db.transaction() as tx:
        entries = await export_for(tx, done["user"]["id"])
    assert [e["kind"] for e in entries] == ["recovery_codes_generated"]
    assert not any(code in str(entries) for code in done["recoveryCodes"])


async def test_alerts_show_the_fifty_newest(
    client: httpx.AsyncClient, container: Container
) -> None:
    laptop = await make_artist(container, "ManyAlerts", user_agent="laptop")
    phone = bearer(await second_device(container, laptop, agent="phone"))
    laptop_device = container.tokens.verify_access(laptop.token).device_id
    async with container.db.transaction() as tx:
        for n in range(51):
            record_security_event(
                tx, laptop.user.id, "password_changed", device_id=laptop_device, details={"n": n}
            )
    seen = await alerts(client, phone)
    assert len(seen) == 50
