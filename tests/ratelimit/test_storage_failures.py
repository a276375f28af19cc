"""A failing limit storage: fail open, back off, recover; Retry-After, metrics, storage choice."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage
from prometheus_client import REGISTRY

from notalabel import ratelimit
from notalabel.config import Mode
from notalabel.db import Database
from notalabel.ratelimit import Decision, RateLimiter, build_rate_limiter
from tests.ratelimit.conftest import MakeSettings, http, limited_app
from tests.users.factories import make_artist


class FlakyStorage(MemoryStorage):
    """In-memory storage that raises while `failing` is set, counting every call."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = False
        self.calls = 0

    def _touch(self) -> None:
        self.calls += 1
        if self.failing:
            raise ConnectionError("storage is down")

    async def acquire_entry(self, *args: Any, **kwargs: Any) -> bool:
        self._touch()
        return await super().acquire_entry(*args, **kwargs)

    async def get_moving_window(self, *args: Any, **kwargs: Any) -> tuple[float, int]:
        self._touch()
        return await super().get_moving_window(*args, **kwargs)


def sample(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def unchecked() -> float:
    return sample("notalabel_ratelimit_unchecked_total")


def rejected(rule: str) -> float:
    return sample("notalabel_ratelimit_rejected_total", {"rule": rule})


async def test_a_failed_storage_is_skipped_for_a_while_then_tried_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ratelimit, "STORAGE_RETRY_SECONDS", 0.3)
    storage = FlakyStorage()
    limiter = RateLimiter(storage, {"global": parse("5/minute")})
    storage.failing = True
    before = unchecked()

    with caplog.at_level(logging.ERROR, logger="notalabel.ratelimit"):
        assert await limiter.check("global", "ip", "1.2.3.4") is None
        tried = storage.calls
        assert tried >= 1
        # during the back-off the storage is not even asked, and nothing more is logged
        for _ in range(3):
            assert await limiter.check("global", "ip", "1.2.3.4") is None
        assert storage.calls == tried
    assert unchecked() - before == 4
    assert len([r for r in caplog.records if r.name == "notalabel.ratelimit"]) == 1

    storage.failing = False
    await asyncio.sleep(0.5)
    decision = await limiter.check("global", "ip", "1.2.3.4")
    assert decision is not None
    assert decision.allowed
    assert decision.remaining == 4
    assert unchecked() - before == 4


async def test_a_healthy_storage_is_never_skipped() -> None:
    storage = FlakyStorage()
    limiter = RateLimiter(storage, {"global": parse("2/minute")})
    before_unchecked, before_rejected = unchecked(), rejected("global")
    outcomes = [await limiter.check("global", "user", "u1") for _ in range(3)]
    assert [d.allowed if d else None for d in outcomes] == [True, True, False]
    assert [d.remaining if d else None for d in outcomes] == [1, 0, 0]
    assert unchecked() == before_unchecked
    assert rejected("global") - before_rejected == 1


async def test_refusals_are_counted_per_rule(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_login="1/minute", rate_limit_default="50/minute")
    before_login, before_global = rejected("login"), rejected("global")
    async with limited_app(settings, database) as (app, _), http(app) as client:
        assert (await client.post("/api/auth/login", json={})).status_code == 422
        for _ in range(2):
            refused = await client.post("/api/auth/login", json={})
            assert refused.status_code == 429
            # the wording is part of the API clients show, not just a constant
            message = refused.json()["error"]["message"]
            assert message == "Too many requests from this user, please try again later."
        assert (await client.get("/api/users/me")).status_code == 401
    assert rejected("login") - before_login == 2
    assert rejected("global") == before_global


@pytest.mark.parametrize(
    ("seconds_left", "retry_after"),
    [(0.01, 1), (0.5, 1), (1.0, 1), (1.01, 2), (2.2, 3), (59.9, 60), (-3.0, 1)],
)
def test_retry_after_rounds_up_to_whole_seconds(seconds_left: float, retry_after: int) -> None:
    now = 1_800_000_000.0
    decision = Decision("global", parse("1/minute"), False, 0, now + seconds_left)
    assert decision.retry_after(now) == retry_after


def test_headers_round_the_reset_up_and_never_show_a_negative_remaining() -> None:
    decision = Decision("global", parse("10/minute"), False, -2, 1_800_000_000.2)
    assert dict(decision.headers()) == {
        b"x-ratelimit-limit": b"10",
        b"x-ratelimit-remaining": b"0",
        b"x-ratelimit-reset": b"1800000001",
    }


def test_embedded_mode_counts_in_memory_even_with_a_redis_url(
    make_settings: MakeSettings,
) -> None:
    limiter = build_rate_limiter(make_settings(redis_url="redis://127.0.0.1:1/0"))
    assert limiter is not None
    assert isinstance(limiter.storage, MemoryStorage)
    assert build_rate_limiter(make_settings(rate_limit_enabled=False)) is None


async def test_production_mode_counts_in_redis_with_every_rule(
    make_settings: MakeSettings,
) -> None:
    settings = make_settings(
        mode=Mode.PRODUCTION,
        database_url="postgresql+asyncpg://unused@127.0.0.1:1/unused",
        redis_url="redis://127.0.0.1:1/0",
        mail_backend="log",
        rate_limit_default="7/minute",
        rate_limit_login="3/hour",
        rate_limit_refresh="4/hour",
        rate_limit_identity_start="5/hour",
    )
    limiter = build_rate_limiter(settings)
    assert limiter is not None
    try:
        assert isinstance(limiter.storage, RedisStorage)
        amounts = {rule: item.amount for rule, item in limiter.rules.items()}
        assert amounts == {"global": 7, "login": 3, "refresh": 4, "identity_start": 5}
    finally:
        await limiter.close()


async def test_a_redis_unix_socket_url_is_understood(
    make_settings: MakeSettings, tmp_path: Path
) -> None:
    settings = make_settings(
        mode=Mode.PRODUCTION,
        database_url="postgresql+asyncpg://unused@127.0.0.1:1/unused",
        redis_url=f"unix://{tmp_path / 'no-redis-here.sock'}",
        mail_backend="log",
    )
    limiter = build_rate_limiter(settings)
    assert limiter is not None
    try:
        assert isinstance(limiter.storage, RedisStorage)
        # nothing listens on the socket: the check fails open instead of raising
        assert await limiter.check("global", "ip", "1.2.3.4") is None
    finally:
        await limiter.close()


async def test_a_token_under_another_scheme_counts_against_the_ip(
    make_settings: MakeSettings, database: Database
) -> None:
    settings = make_settings(rate_limit_default="2/minute")
    async with limited_app(settings, database) as (app, container), http(app) as client:
        artist = await make_artist(container, "Schemer")
        basic = {"Authorization": f"Basic {artist.token}"}
        for _ in range(2):
            assert (await client.get("/api/users/me", headers=basic)).status_code == 401
        # the two calls above were the IP's, so an anonymous call from it is now refused
        assert (await client.get("/api/users/me")).status_code == 429
        assert (await client.get("/api/users/me", headers=artist.headers)).status_code == 200
