"""Redis-backed limits: shared between workers, and failing open when Redis is down."""

from __future__ import annotations

import logging
import socket

import pytest
from limits.aio.storage import RedisStorage
from prometheus_client import REGISTRY

from notalabel.db import Database
from tests.conftest import REDIS_URL
from tests.ratelimit.conftest import MakeSettings, http, limited_app, redis_settings
from tests.users.factories import make_artist


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unchecked() -> float:
    """Requests let through so far because the limit storage failed."""
    return REGISTRY.get_sample_value("notalabel_ratelimit_unchecked_total") or 0.0


async def test_production_mode_uses_redis(make_settings: MakeSettings, database: Database) -> None:
    settings = redis_settings(make_settings, f"redis://127.0.0.1:{closed_port()}/0")
    async with limited_app(settings, database) as (_, container):
        assert container.rate_limiter is not None
        assert isinstance(container.rate_limiter.storage, RedisStorage)


async def test_unreachable_redis_fails_open_loudly(
    make_settings: MakeSettings, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    settings = redis_settings(
        make_settings, f"redis://127.0.0.1:{closed_port()}/0", rate_limit_default="1/minute"
    )
    before = unchecked()
    async with limited_app(settings, database) as (app, _), http(app) as client:
        with caplog.at_level(logging.ERROR, logger="notalabel.ratelimit"):
            for _ in range(3):
                response = await client.get("/api/users/me")
                assert response.status_code == 401
                assert "x-ratelimit-limit" not in response.headers
    assert unchecked() - before == 3
    errors = [r for r in caplog.records if r.name == "notalabel.ratelimit"]
    assert errors
    assert errors[0].levelno == logging.ERROR


async def test_two_workers_share_one_count(
    make_settings: MakeSettings, database: Database, redis_prefix: str
) -> None:
    assert REDIS_URL is not None
    settings = redis_settings(make_settings, REDIS_URL)
    async with (
        limited_app(settings, database, key_prefix=redis_prefix) as (one, container),
        limited_app(settings, database, key_prefix=redis_prefix) as (two, _),
        http(one) as worker_one,
        http(two) as worker_two,
    ):
        artist = await make_artist(container, "Dee Shared")
        for _ in range(60):
            assert (await worker_one.get("/api/users/me", headers=artist.headers)).is_success
        for _ in range(40):
            assert (await worker_two.get("/api/users/me", headers=artist.headers)).is_success
        for worker in (worker_one, worker_two):
            response = await worker.get("/api/users/me", headers=artist.headers)
            assert response.status_code == 429
            assert response.json()["error"]["details"]["limit"] == "100 per 15 minutes"
            assert int(response.headers["retry-after"]) >= 1


async def test_anonymous_callers_share_a_redis_count_per_ip(
    make_settings: MakeSettings, database: Database, redis_prefix: str
) -> None:
    assert REDIS_URL is not None
    settings = redis_settings(make_settings, REDIS_URL, rate_limit_login="2/minute")
    async with (
        limited_app(settings, database, key_prefix=redis_prefix) as (one, _),
        limited_app(settings, database, key_prefix=redis_prefix) as (two, _),
        http(one, "10.1.0.1") as worker_one,
        http(two, "10.1.0.1") as worker_two,
        http(two, "10.1.0.2") as other_ip,
    ):
        assert (await worker_one.post("/api/auth/login", json={})).status_code == 422
        assert (await worker_two.post("/api/auth/login", json={})).status_code == 422
        assert (await worker_one.post("/api/auth/login", json={})).status_code == 429
        assert (await other_ip.post("/api/auth/login", json={})).status_code == 422
