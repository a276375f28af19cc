"""Rate limits on the embedded default (in-process storage)."""

from __future__ import annotations

import time

import httpx

from notalabel.db import Database
from notalabel.ratelimit import RATE_LIMITED_MESSAGE, build_rate_limiter
from tests.ratelimit.conftest import MakeSettings, http, limited_app
from tests.users.factories import make_artist


def assert_rate_limited(response: httpx.Response, limit: str) -> int:
    """Check the 429 shape and headers; return Retry-After."""
    assert response.status_code == 429
    retry_after = int(response.headers["retry-after"])
    assert response.json() == {
        "error": {
            "code": "rate_limited",
            "message": RATE_LIMITED_MESSAGE,
            "details": {"limit": limit, "retryAfter": retry_after},
        }
    }
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["x-request-id"]
    return retry_after


async def test_the_101st_request_with_the_defaults_is_429(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings()
    assert settings.rate_limit_default == "100/15minutes"
    async with limited_app(settings, database) as (app, _), http(app) as client:
        for n in range(100):
            response = await client.get("/api/users/me")
            assert response.status_code == 401, n
            assert response.headers["x-ratelimit-limit"] == "100"
            assert response.headers["x-ratelimit-remaining"] == str(99 - n)
        started = time.time()
        response = await client.get("/api/users/me")
    retry_after = assert_rate_limited(response, "100 per 15 minutes")
    assert 1 <= retry_after <= 15 * 60
    # The first hit was a moment ago, so its slot frees in (almost) the whole window.
    assert retry_after >= 15 * 60 - 60
    reset = int(response.headers["x-ratelimit-reset"])
    assert abs(reset - (started + retry_after)) <= 2


async def test_each_user_has_their_own_count(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="3/minute")
    async with limited_app(settings, database) as (app, container), http(app) as client:
        ana = await make_artist(container, "Ana Beats")
        bo = await make_artist(container, "Bo Loops")
        for _ in range(3):
            assert (await client.get("/api/users/me", headers=ana.headers)).status_code == 200
        assert_rate_limited(await client.get("/api/users/me", headers=ana.headers), "3 per minute")
        # Same IP, other user, and the IP itself: separate counts.
        assert (await client.get("/api/users/me", headers=bo.headers)).status_code == 200
        assert (await client.get("/api/users/me")).status_code == 401


async def test_a_bad_token_counts_against_the_ip(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="3/minute")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        for header in ("Bearer not-a-jwt", "Basic abc", "Bearer "):
            response = await client.get("/api/users/me", headers={"Authorization": header})
            assert response.status_code == 401
        assert_rate_limited(await client.get("/api/users/me"), "3 per minute")


async def test_anonymous_callers_are_counted_per_ip(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="2/minute")
    async with (
        limited_app(settings, database) as (app, _),
        http(app, "10.0.0.1") as first,
        http(app, "10.0.0.2") as second,
    ):
        for _ in range(2):
            assert (await first.get("/api/nothing-here")).status_code == 404
        assert_rate_limited(await first.get("/api/nothing-here"), "2 per minute")
        assert (await second.get("/api/nothing-here")).status_code == 404


async def test_login_has_a_stricter_per_ip_limit(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_login="3/15minutes")
    async with limited_app(settings, database) as (app, container), http(app) as client:
        artist = await make_artist(container, "Cleo Keys")
        for _ in range(3):
            # A signed-in caller is still limited per IP on login.
            response = await client.post("/api/auth/login", json={}, headers=artist.headers)
            assert response.status_code == 422
            assert response.headers["x-ratelimit-limit"] == "3"
        assert_rate_limited(await client.post("/api/auth/login", json={}), "3 per 15 minutes")
        # The rest of the API keeps its own, larger budget.
        response = await client.get("/api/users/me", headers=artist.headers)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "100"
    async with http(app, "10.0.0.9") as elsewhere:
        assert (await elsewhere.post("/api/auth/login", json={})).status_code == 422


async def test_refresh_has_its_own_limit(make_settings: MakeSettings, database: Database) -> None:
    settings = make_settings(rate_limit_refresh="2/minute", rate_limit_login="1/minute")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        assert (await client.post("/api/auth/login", json={})).status_code == 422
        for _ in range(2):
            assert (await client.post("/api/auth/refresh", json={})).status_code == 422
        assert_rate_limited(await client.post("/api/auth/refresh/", json={}), "2 per minute")


async def test_identity_start_and_its_alias_share_one_limit(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_identity_start="2/hour")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        assert (await client.post("/api/auth/musical-identity/start")).status_code == 201
        assert (await client.post("/api/auth/start-musical-identity")).status_code == 201
        assert_rate_limited(await client.post("/api/auth/musical-identity/start"), "2 per hour")
        assert_rate_limited(await client.post("/api/auth/start-musical-identity"), "2 per hour")
        # Only POST starts a session; other methods fall under the global limit alone.
        response = await client.get("/api/auth/musical-identity/start")
        assert response.status_code == 405
        assert response.headers["x-ratelimit-limit"] == "100"


async def test_health_and_docs_are_never_limited(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="1/minute")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        for path in (
            "/api/health",
            "/api/health/",
            "/readyz",
            "/metrics",
            "/openapi.json",
            "/docs",
        ):
            for _ in range(3):
                response = await client.get(path)
                assert response.status_code in (200, 307), path
                assert "x-ratelimit-limit" not in response.headers
            assert (await client.options("/api/users/me")).status_code != 429
        assert (await client.get("/api/users/me")).status_code == 401
        assert (await client.get("/api/users/me")).status_code == 429


async def test_retry_after_counts_down_to_the_oldest_hit(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="2/10seconds")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        await client.get("/api/users/me")
        await client.get("/api/users/me")
        retry_after = assert_rate_limited(await client.get("/api/users/me"), "2 per 10 seconds")
    assert 1 <= retry_after <= 10


def test_disabled_limits_build_no_limiter(make_settings: MakeSettings) -> None:
    assert build_rate_limiter(make_settings(rate_limit_enabled=False)) is None
    assert build_rate_limiter(make_settings()) is not None


async def test_every_way_of_proving_identity_shares_the_login_budget(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_login="5/15minutes")
    routes = [
        "/api/auth/login",
        "/api/auth/recover",
        "/api/auth/reauthenticate",
        "/api/auth/passkey",
        "/api/auth/voice/login",
    ]
    async with limited_app(settings, database) as (app, container), http(app) as client:
        artist = await make_artist(container, "Budget Keeper")
        for route in routes:
            response = await client.post(route, json={}, headers=artist.headers)
            assert response.status_code in {400, 401, 415, 422}, (route, response.text)
            assert response.headers["x-ratelimit-limit"] == "5", route
        for route in routes:
            assert_rate_limited(
                await client.post(route, json={}, headers=artist.headers), "5 per 15 minutes"
            )
