"""Apps built on the test database with settings of a test's own choosing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from notalabel.app import create_app
from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from notalabel.db import Database
from tests.conftest import PG_URL, TEST_SECRET, TEST_VOICEPRINT_KEY

UNUSED_PG = "postgresql+asyncpg://unused@127.0.0.1:1/unused"


def derive(settings: Settings, **overrides: Any) -> Settings:
    """`settings` with some values changed, validated again."""
    values = settings.model_dump()
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def production(settings: Settings, redis_url: str, **overrides: Any) -> Settings:
    """Production-mode settings; the database is passed in, so its URL is only checked."""
    return derive(
        settings,
        mode=Mode.PRODUCTION,
        database_url=PG_URL or UNUSED_PG,
        redis_url=redis_url,
        jwt_secret=TEST_SECRET,
        voiceprint_key=TEST_VOICEPRINT_KEY,
        # only logs mail, where a mail backend setting exists
        mail_backend="log",
        **overrides,
    )


@asynccontextmanager
async def serve(
    settings: Settings, database: Database, *, peer: tuple[str, int] = ("127.0.0.1", 40000)
) -> AsyncIterator[tuple[FastAPI, Container, httpx.AsyncClient]]:
    """An app on `database` and a client calling it in-process from `peer`."""
    container = build_container(settings, db=database)
    app = create_app(settings, container)
    transport = httpx.ASGITransport(app=app, client=peer)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield app, container, client
    finally:
        if container.rate_limiter is not None:
            await container.rate_limiter.close()
        if container.redis is not None:
            await container.redis.aclose()
