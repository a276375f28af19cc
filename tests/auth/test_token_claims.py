"""Access-token claims: only HS256 with our secret, and every claim present with its type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.errors import Unauthorized
from notalabel.security import TokenService
from tests.users.factories import make_artist

SECRET = "claims-secret-" + "z" * 64
ISSUER = "not-a-label.art"
AUDIENCE = "not-a-label-api"


@pytest.fixture
def tokens() -> TokenService:
    """A token service with the default lifetimes, no database needed."""
    return TokenService(
        SECRET,
        issuer=ISSUER,
        audience=AUDIENCE,
        access_ttl=timedelta(minutes=15),
        refresh_ttl=timedelta(days=30),
    )


def good_claims(tokens: TokenService) -> dict[str, Any]:
    """The claims of a freshly issued, valid token."""
    token = tokens.issue_access("usr_a", "Ana", "dev_a", utcnow())
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def test_a_token_round_trips_every_claim(tokens: TokenService) -> None:
    proven = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    before = utcnow()
    claims = tokens.verify_access(tokens.issue_access("usr_a", "Ana", "dev_a", proven))
    assert claims.user_id == "usr_a"
    assert claims.artist_name == "Ana"
    assert claims.device_id == "dev_a"
    assert claims.authenticated_at == proven
    assert claims.token_id
    lifetime = claims.expires_at - before
    assert timedelta(minutes=14) < lifetime <= timedelta(minutes=15, seconds=1)


def test_hs512_with_the_real_secret_is_rejected(tokens: TokenService) -> None:
    forged = jwt.encode(good_claims(tokens), SECRET, algorithm="HS512")
    with pytest.raises(Unauthorized):
        tokens.verify_access(forged)


def _without(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k != name}


@pytest.mark.parametrize(
    ("change", "description"),
    [
        ({"did": 123}, "device id is a number"),
        ({"sub": 7}, "subject is a number"),
        ({"artistName": 5}, "artist name is a number"),
        ({"artistName": None}, "artist name is null"),
        ({"auth_time": "1700000000"}, "auth_time is a string"),
        ({"auth_time": True}, "auth_time is a boolean"),
        ({"auth_time": None}, "auth_time is null"),
    ],
)
def test_a_mistyped_claim_is_rejected(
    tokens: TokenService, change: dict[str, Any], description: str
) -> None:
    token = jwt.encode({**good_claims(tokens), **change}, SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        tokens.verify_access(token)


@pytest.mark.parametrize("name", ["sub", "artistName", "did", "auth_time", "exp", "iss", "aud"])
def test_a_missing_claim_is_rejected(tokens: TokenService, name: str) -> None:
    token = jwt.encode(_without(good_claims(tokens), name), SECRET, algorithm="HS256")
    with pytest.raises(Unauthorized):
        tokens.verify_access(token)


def test_refresh_tokens_live_thirty_days_and_are_stored_hashed(tokens: TokenService) -> None:
    before = utcnow()
    issued = tokens.new_refresh_token()
    lifetime = issued.expires_at - before
    assert timedelta(days=30) - timedelta(minutes=1) < lifetime <= timedelta(days=30, minutes=1)
    assert issued.token not in issued.token_hash
    assert len(issued.token) >= 40
    assert issued.token != tokens.new_refresh_token().token


# the test secret is shorter than HS512 wants; the point is that the token is refused anyway
@pytest.mark.filterwarnings("ignore:The HMAC key")
async def test_a_mistyped_claim_over_http_is_401(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Typed")
    claims = jwt.decode(artist.token, options={"verify_signature": False})
    secret = container.settings.signing_secret
    for change in ({"auth_time": str(claims["auth_time"])}, {"artistName": None}):
        token = jwt.encode({**claims, **change}, secret, algorithm="HS256")
        response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, change
        assert response.json()["error"]["message"] == "Invalid token."
    forged = jwt.encode(claims, secret, algorithm="HS512")
    response = await client.get("/api/users/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
