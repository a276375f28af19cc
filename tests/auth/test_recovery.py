"""Recovery codes: shown once at onboarding, single use, hashed, and a way back in."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import httpx
from sqlalchemy import func, select

from notalabel.app import create_app
from notalabel.auth.events import UserSignedIn
from notalabel.auth.recovery import RecoveryCode
from notalabel.auth.recovery_codes import (
    ALPHABET,
    CODE_BITS,
    code_digest,
    matching_digest,
    new_code_set,
    normalize_code,
)
from notalabel.config import Settings
from notalabel.container import Container, build_container
from notalabel.db import Database
from tests.auth.account_helpers import (
    CODES,
    EVENTS,
    ME,
    PASSWORD,
    RECOVER,
    age_sign_in,
    bearer,
    onboarded,
)
from tests.conftest import TEST_SECRET
from tests.identity.factories import FINALIZE, session_at_confirmation
from tests.users.factories import make_artist

CODE_SHAPE = re.compile(r"^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$")


def test_a_set_is_ten_distinct_typeable_codes_of_enough_entropy() -> None:
    codes = new_code_set()
    assert len(set(codes)) == 10
    assert all(CODE_SHAPE.match(code) for code in codes)
    # the declared entropy is what the alphabet and length really give, and it is enough
    symbols = len(normalize_code(codes[0]) or "")
    assert CODE_BITS == symbols * math.log2(len(ALPHABET)) >= 60


def test_every_symbol_of_the_alphabet_turns_up_in_every_position() -> None:
    # 1,000 codes: a symbol missing from a position by chance has odds below 1e-13
    seen = [set[str]() for _ in range(16)]
    for _ in range(100):
        for code in new_code_set():
            for position, symbol in enumerate(normalize_code(code) or ""):
                seen[position].add(symbol)
    assert all(found == set(ALPHABET) for found in seen)


def test_typing_variations_of_a_code_still_match() -> None:
    code = "7kq4-x9m2-c3vd-8h0t"
    assert normalize_code(" 7KQ4 X9M2 C3VD 8HOT ") == normalize_code(code) == "7kq4x9m2c3vd8h0t"
    assert normalize_code("7kq4-x9m2-c3vd") is None
    assert normalize_code("7kq4-x9m2-c3vd-8hu!") is None
    assert code_digest("usr_a", code) != code_digest("usr_b", code)
    stored = [code_digest("usr_a", c) for c in ("aaaa-aaaa-aaaa-aaaa", code)]
    assert matching_digest(code_digest("usr_a", "7KQ4X9M2C3VD8HOT"), stored) == stored[1]


async def test_onboarding_shows_ten_codes_once_and_stores_only_hashes(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "CodeKeeper")
    codes = done["recoveryCodes"]
    assert len(codes) == 10
    assert all(CODE_SHAPE.match(c) for c in codes)
    async with container.db.transaction() as tx:
        stored = list(await tx.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10
    assert not {c.replace("-", "") for c in codes} & set(stored)
    assert not set(codes) & set(stored)
    status = await client.get(CODES, headers=bearer(done["token"]))
    assert status.json()["remaining"] == 10
    assert "recoveryCodes" not in status.json()


async def test_the_finalize_route_shows_the_codes_too(client: httpx.AsyncClient) -> None:
    session_id = await session_at_confirmation(client, "Finalizer")
    done = await client.post(FINALIZE, json={"sessionId": session_id})
    assert done.status_code == 200, done.text
    assert len(done.json()["recoveryCodes"]) == 10


async def test_a_code_signs_a_new_device_in_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    signed_in: list[UserSignedIn] = []

    async def remember(event: UserSignedIn) -> None:
        signed_in.append(event)

    container.bus.subscribe(UserSignedIn, remember)
    done = await onboarded(client, "LostPhone")
    code = done["recoveryCodes"][3]
    recovered = await client.post(RECOVER, json={"artistName": "lostphone", "recoveryCode": code})
    assert recovered.status_code == 200, recovered.text
    assert recovered.headers["cache-control"] == "no-store"
    body = recovered.json()
    assert body["recoveryCodesLeft"] == 9
    assert body["deviceKey"]  # the recovered device is known to the password lockout
    headers = bearer(body["token"])
    devices = (await client.get("/api/users/me/devices", headers=headers)).json()
    current = next(d for d in devices if d["current"])
    assert current["loginMethod"] == "recovery_code"
    assert len(devices) == 2
    assert [(e.device_id, e.login_method) for e in signed_in] == [(current["id"], "recovery_code")]
    # recently authenticated: a new password needs no old one, codes can be replaced
    password = await client.put(
        "/api/users/me/password", json={"password": PASSWORD}, headers=headers
    )
    assert password.status_code == 200, password.text
    assert (await client.post(CODES, headers=headers)).status_code == 200
    again = await client.post(RECOVER, json={"artistName": "LostPhone", "recoveryCode": code})
    assert again.status_code == 401


async def test_every_failure_gets_one_answer(client: httpx.AsyncClient) -> None:
    done = await onboarded(client, "Uniform")
    code = done["recoveryCodes"][0]
    assert (
        await client.post(RECOVER, json={"artistName": "Uniform", "recoveryCode": code})
    ).status_code == 200
    attempts = [
        {"artistName": "Nobody Here", "recoveryCode": code},
        {"artistName": "Uniform", "recoveryCode": "abcd-efgh-jkmn-pqrs"},
        {"artistName": "Uniform", "recoveryCode": code},  # already used
        {"artistName": "Uniform", "recoveryCode": "not even a code"},
    ]
    answers = [await client.post(RECOVER, json=a) for a in attempts]
    assert {a.status_code for a in answers} == {401}
    assert len({json.dumps(a.json()) for a in answers}) == 1
    # the artist's log shows the three tries at their account (not the unknown name)
    log = (await client.get(EVENTS, headers=bearer(done["token"]))).json()["items"]
    assert [e["kind"] for e in log if e["kind"] == "recovery_failed"] == ["recovery_failed"] * 3
    assert answers[0].json()["error"]["code"] == "invalid_credentials"


async def test_wrong_codes_throttle_the_account(client: httpx.AsyncClient) -> None:
    done = await onboarded(client, "Throttled")
    for _ in range(5):
        wrong = {"artistName": "Throttled", "recoveryCode": "abcd-efgh-jkmn-pqrs"}
        assert (await client.post(RECOVER, json=wrong)).status_code == 401
    right = {"artistName": "Throttled", "recoveryCode": done["recoveryCodes"][0]}
    assert (await client.post(RECOVER, json=right)).status_code == 401
    # the code was not spent while the account was throttled
    assert (await client.get(CODES, headers=bearer(done["token"]))).json()["remaining"] == 10


async def test_recovery_shares_the_per_ip_login_limit(database: Database, tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        jwt_secret=TEST_SECRET,
        migrate_on_start=False,
        rate_limit_enabled=True,
        rate_limit_login="3/15minutes",
    )
    app = create_app(settings, build_container(settings, db=database))
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as limited:
        body = {"artistName": "Anyone", "recoveryCode": "abcd-efgh-jkmn-pqrs"}
        statuses = [(await limited.post(RECOVER, json=body)).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


async def test_regenerating_replaces_the_whole_set(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Regenerate")
    headers = bearer(done["token"])
    fresh = await client.post(CODES, headers=headers)
    assert fresh.status_code == 200
    assert fresh.headers["cache-control"] == "no-store"
    new_codes = fresh.json()["recoveryCodes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(done["recoveryCodes"])
    old = {"artistName": "Regenerate", "recoveryCode": done["recoveryCodes"][0]}
    assert (await client.post(RECOVER, json=old)).status_code == 401
    new = {"artistName": "Regenerate", "recoveryCode": new_codes[0]}
    assert (await client.post(RECOVER, json=new)).status_code == 200


async def test_regenerating_needs_a_recent_sign_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "StaleCodes")
    refused = await client.post(CODES, headers=await age_sign_in(container, artist.token))
    assert refused.json()["error"]["code"] == "reauthentication_required"


async def test_codes_never_leave_in_the_export_and_go_with_the_account(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "Leaving")
    headers = bearer(done["token"])
    exported = (await client.get(ME + "/export", headers=headers)).text
    async with container.db.transaction() as tx:
        hashes = list(await tx.scalars(select(RecoveryCode.code_hash)))
    assert not any(code in exported for code in done["recoveryCodes"])
    assert not any(digest in exported for digest in hashes)
    assert (await client.delete(ME, headers=headers)).status_code == 204
    async with container.db.transaction() as tx:
        assert await tx.scalar(select(func.count()).select_from(RecoveryCode)) == 0
