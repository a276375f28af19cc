"""Apps with rate limits switched on, built per test so counts never leak between tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from notalabel.app import create_app
from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from notalabel.db import Database
from notalabel.ratelimit import KEY_PREFIX, build_rate_limiter
from tests.conftest import PG_URL, REDIS_URL, TEST_SECRET, TEST_VOICEPRINT_KEY

MakeSettings = Callable[..., Settings]


@pytest.fixture
def make_settings(tmp_path: Path) -> MakeSettings:
    """Embedded settings with rate limits on; keyword overrides win."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path,
            "jwt_secret": TEST_SECRET,
            "voiceprint_key": TEST_VOICEPRINT_KEY,
            "migrate_on_start": False,
            "rate_limit_enabled": True,
            **overrides,
        }
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make


def redis_settings(make_settings: MakeSettings, redis_url: str, **overrides: Any) -> Settings:
    """Production-mode settings on `redis_url`; the database is passed in, not opened by URL."""
    return make_settings(
        mode=Mode.PRODUCTION,
        database_url=PG_URL or "postgresql+asyncpg://unused@127.0.0.1:1/unused",
        redis_url=redis_url,
        mail_backend="log",
        voiceprint_key=TEST_VOICEPRINT_KEY,
        **overrides,
    )


@asynccontextmanager
async def limited_app(
    settings: Settings, database: Database, *, key_prefix: str | None = None
) -> AsyncIterator[tuple[FastAPI, Container]]:
    """An app (one "worker") on `database`; a Redis limiter may get its own key prefix."""
    container = build_container(settings, db=database)
    if key_prefix is not None:
        if container.rate_limiter is not None:
            await container.rate_limiter.close()
        container.rate_limiter = build_rate_limiter(settings, key_prefix=key_prefix)
    try:
        yield create_app(settings, container), container
    finally:
        if container.rate_limiter is not None:
            await container.rate_limiter.close()
        if container.redis is not None:
            await container.redis.aclose()


@asynccontextmanager
async def http(app: FastAPI, ip: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    """A client calling `app` in-process from `ip`."""
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test alone on the test Redis; its keys are deleted afterwards."""
    if REDIS_URL is None:
        pytest.skip("needs NAL_TEST_REDIS_URL")
    from redis.asyncio import Redis

    prefix = f"{KEY_PREFIX}:test:{uuid.uuid4().hex}"
    yield prefix
    client = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()
