"""Sensitive changes need a recent sign-in; POST /api/auth/reauthenticate renews it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from notalabel.container import Container
from notalabel.users.models import RefreshToken
from tests.auth.account_helpers import (
    CODES,
    EVENTS,
    ME,
    PASSWORD,
    REAUTH,
    age_sign_in,
    bearer,
    give_password,
    onboarded,
)
from tests.users.factories import make_artist

# (method, path, body) of every sensitive change; the first three belong to sign-in hardening
SENSITIVE: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "POST",
        "/api/users/me/credentials",
        {"email": "new@example.com", "password": "x" * 4 + PASSWORD},
    ),
    ("PUT", "/api/users/me/password", {"password": "brand new " + PASSWORD}),
    ("POST", "/api/users/me/email", {"email": "other@example.com"}),
    ("POST", CODES, None),
    ("DELETE", ME, None),
]


async def call(
    client: httpx.AsyncClient, method: str, path: str, body: Any, headers: dict[str, str]
) -> httpx.Response:
    return await client.request(method, path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), SENSITIVE)
async def test_an_old_sign_in_must_reauthenticate_first(
    client: httpx.AsyncClient, container: Container, method: str, path: str, body: Any
) -> None:
    artist = await make_artist(container, "OldSignIn")
    await give_password(container, artist.user.id)
    old = await age_sign_in(container, artist.token)
    refused = await call(client, method, path, body, old)
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"]["code"] == "reauthentication_required"

    again = await client.post(REAUTH, json={"password": PASSWORD}, headers=old)
    assert again.status_code == 200, again.text
    allowed = await call(client, method, path, body, bearer(again.json()["token"]))
    assert allowed.status_code < 300, allowed.text


async def test_reauthentication_rotates_to_exactly_one_live_refresh_token(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "OneToken")
    await give_password(container, artist.user.id)
    device_id = container.tokens.verify_access(artist.token).device_id
    renewed = await client.post(REAUTH, json={"password": PASSWORD}, headers=artist.headers)
    assert renewed.status_code == 200
    assert renewed.headers["cache-control"] == "no-store"
    body = renewed.json()
    claims = container.tokens.verify_access(body["token"])
    assert claims.device_id == device_id
    async with container.db.transaction() as tx:
        live = await tx.scalar(
            select(func.count())
            .select_from(RefreshToken)
            .where(RefreshToken.device_id == device_id, RefreshToken.used_at.is_(None))
        )
    assert live == 1
    assert (
        await client.post("/api/auth/refresh", json={"refreshToken": body["refreshToken"]})
    ).status_code == 200


async def test_a_refresh_does_not_renew_the_sign_in_time(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Refresher")
    old = await age_sign_in(container, artist.token)
    old_time = container.tokens.verify_access(old["Authorization"].split()[1]).authenticated_at
    refreshed = await client.post("/api/auth/refresh", json={"refreshToken": artist.refresh_token})
    assert refreshed.status_code == 200, refreshed.text
    token = refreshed.json()["token"]
    assert container.tokens.verify_access(token).authenticated_at == old_time
    refused = await client.post(CODES, headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "reauthentication_required"


async def test_a_wrong_password_gets_the_wrong_login_answer(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "WrongPass")
    await give_password(container, artist.user.id)
    login = await client.post(
        "/api/auth/login", json={"identifier": "WrongPass", "password": "nope nope nope"}
    )
    wrong = await client.post(REAUTH, json={"password": "nope nope nope"}, headers=artist.headers)
    assert wrong.status_code == login.status_code == 401
    assert wrong.json()["error"]["code"] == login.json()["error"]["code"]
    assert wrong.json()["error"]["message"] == login.json()["error"]["message"]


async def test_a_musical_identity_without_password_cannot_use_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "NoPassword")
    wrong = await client.post(REAUTH, json={"password": PASSWORD}, headers=artist.headers)
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "invalid_credentials"


async def test_repeated_failures_stop_reauthentication_for_a_while(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Guesser")
    await give_password(container, artist.user.id)
    for _ in range(5):
        wrong = await client.post(
            REAUTH, json={"password": "guess guess 1"}, headers=artist.headers
        )
        assert wrong.status_code == 401
    right = await client.post(REAUTH, json={"password": PASSWORD}, headers=artist.headers)
    assert right.status_code == 401
    assert right.json()["error"]["code"] == "invalid_credentials"


async def test_a_recovery_code_also_reauthenticates_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboarded(client, "CodeProof")
    old = await age_sign_in(container, done["token"])
    code = done["recoveryCodes"][0]
    renewed = await client.post(REAUTH, json={"recoveryCode": code.upper()}, headers=old)
    assert renewed.status_code == 200, renewed.text
    fresh = bearer(renewed.json()["token"])
    assert (await client.get(CODES, headers=fresh)).json()["remaining"] == 9
    reused = await client.post(REAUTH, json={"recoveryCode": code}, headers=fresh)
    assert reused.status_code == 401
    log = (await client.get(EVENTS, headers=fresh)).json()["items"]
    proofs = [(e["kind"], e["details"].get("method")) for e in log if "reauth" in e["kind"]]
    assert proofs == [
        ("reauthentication_failed", "recovery_code"),
        ("reauthenticated", "recovery_code"),
    ]


@pytest.mark.parametrize(
    "body", [{}, {"password": PASSWORD, "recoveryCode": "abcd-efgh-jkmn-pqrs"}]
)
async def test_exactly_one_proof_is_sent(
    client: httpx.AsyncClient, container: Container, body: dict[str, str]
) -> None:
    artist = await make_artist(container, "OneProof")
    response = await client.post(REAUTH, json=body, headers=artist.headers)
    assert response.status_code == 422


async def test_a_fresh_onboarding_token_can_set_first_credentials(
    client: httpx.AsyncClient,
) -> None:
    done = await onboarded(client, "JustMade")
    response = await client.post(
        "/api/users/me/credentials",
        json={"email": "justmade@example.com", "password": PASSWORD},
        headers=bearer(done["token"]),
    )
    assert response.status_code in (200, 202), response.text
