"""Access tokens: pinned algorithm, issuer, audience, expiry, signature, live device."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import jwt
import pytest

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.errors import Unauthorized
from tests.users.factories import make_artist

ME = "/api/users/me"


def _claims(container: Container, **changes: object) -> dict[str, object]:
    token = container.tokens.issue_access("usr_x", "X", "dev_x", utcnow())
    claims = jwt.decode(token, options={"verify_signature": False})
    claims.update(changes)
    return claims


async def assert_invalid(client: httpx.AsyncClient, token: str) -> None:
    response = await client.get(ME, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["message"] == "Invalid token."
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_valid_token_works(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "TokenOwner")
    response = await client.get(ME, headers=artist.headers)
    assert response.status_code == 200
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    assert claims["sub"] == artist.user.id
    assert claims["artistName"] == "TokenOwner"
    assert claims["exp"] - claims["iat"] == 15 * 60


async def test_tampered_token_is_rejected(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Tampered")
    header, payload, signature = artist.token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "usr_someone_else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    await assert_invalid(client, f"{header}.{forged}.{signature}")


async def test_token_signed_with_another_key_is_rejected(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "OtherKey")
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    await assert_invalid(client, jwt.encode(claims, "another-key-" + "y" * 40, algorithm="HS256"))


async def test_alg_none_token_is_rejected(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "NoAlg")
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    unsigned = jwt.encode(claims, key=None, algorithm="none")
    await assert_invalid(client, unsigned)


async def test_expired_token_is_rejected(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Expired")
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    claims["exp"] = int((utcnow() - timedelta(seconds=5)).timestamp())
    secret = container.settings.signing_secret
    await assert_invalid(client, jwt.encode(claims, secret, algorithm="HS256"))


@pytest.mark.parametrize(("field", "value"), [("iss", "evil.example"), ("aud", "other-api")])
async def test_wrong_issuer_or_audience_is_rejected(
    client: httpx.AsyncClient, container: Container, field: str, value: str
) -> None:
    artist = await make_artist(container, "WrongClaims")
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    claims[field] = value
    secret = container.settings.signing_secret
    await assert_invalid(client, jwt.encode(claims, secret, algorithm="HS256"))


async def test_token_without_device_is_rejected(
    client: httpx.AsyncClient, container: Container
) -> None:
    claims = _claims(container)
    del claims["did"]
    token = jwt.encode(claims, container.settings.signing_secret, algorithm="HS256")
    await assert_invalid(client, token)


async def test_revoked_device_token_stops_working_at_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Revoked")
    other = await make_artist(container, "Bystander")
    assert (await client.post("/api/auth/logout", headers=artist.headers)).status_code == 204
    await assert_invalid(client, artist.token)
    assert (await client.get(ME, headers=other.headers)).status_code == 200


def test_a_remembered_token_still_expires_on_time(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = container.tokens
    token = tokens.issue_access("usr_x", "X", "dev_x", utcnow())
    claims = tokens.verify_access(token)  # verified once, then remembered
    expiry = claims.expires_at

    monkeypatch.setattr("notalabel.security.utcnow", lambda: expiry - timedelta(seconds=1))
    assert tokens.verify_access(token) == claims
    monkeypatch.setattr("notalabel.security.utcnow", lambda: expiry)
    with pytest.raises(Unauthorized):
        tokens.verify_access(token)


def test_a_remembered_token_vouches_for_no_other(container: Container) -> None:
    tokens = container.tokens
    token = tokens.issue_access("usr_x", "X", "dev_x", utcnow())
    tokens.verify_access(token)
    head, body, signature = token.split(".")
    other = "A" if signature[0] != "A" else "B"
    for forged in (f"{head}.{body}.{other}{signature[1:]}", token + "x", token[:-1]):
        with pytest.raises(Unauthorized):
            tokens.verify_access(forged)


def test_remembered_tokens_are_bounded(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("notalabel.security.VERIFIED_TOKENS_KEPT", 3)
    tokens = container.tokens
    issued = [tokens.issue_access(f"usr_{n}", "X", "dev_x", utcnow()) for n in range(5)]
    for token in issued:
        tokens.verify_access(token)
    assert list(tokens._verified) == issued[2:]
    assert all(tokens.verify_access(token).user_id == f"usr_{n}" for n, token in enumerate(issued))
