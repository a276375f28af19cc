"""Test plumbing: a fresh database per test on SQLite (default) or PostgreSQL.

Set NAL_TEST_DATABASE_URL=postgresql+asyncpg://... (and NAL_TEST_REDIS_URL=redis://...) to run
the same suite against real PostgreSQL and Redis.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel.app import create_app
from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from notalabel.db import Database
from notalabel.migrate import upgrade

PG_URL = os.environ.get("NAL_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("NAL_TEST_REDIS_URL")
TEST_SECRET = "test-secret-" + "x" * 40
# 32 bytes in base64url: the voiceprint sealing key production settings require
TEST_VOICEPRINT_KEY = "dm9pY2VwcmludC10ZXN0LWtleS0wMTIzNDU2Nzg5YWI"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file that each test copies."""
    import asyncio

    path = tmp_path_factory.mktemp("template") / "template.db"

    async def build() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(build())
    return path


@pytest.fixture
async def database(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A fresh, migrated database for this test alone."""
    if PG_URL is None:
        target = tmp_path / "notalabel.db"
        shutil.copy(sqlite_template, target)
        db = Database(f"sqlite+aiosqlite:///{target}")
        yield db
        await db.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    await upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test (production mode when PostgreSQL and Redis are given).

    Rate limits are off here; tests/ratelimit turns them on where they are the subject.
    """
    if PG_URL is not None and REDIS_URL is not None:
        return Settings(
            _env_file=None,  # type: ignore[call-arg]
            mode=Mode.PRODUCTION,
            database_url=PG_URL,
            redis_url=REDIS_URL,
            jwt_secret=TEST_SECRET,
            voiceprint_key=TEST_VOICEPRINT_KEY,
            data_dir=tmp_path,
            migrate_on_start=False,
            rate_limit_enabled=False,
            # the suite reads no mail; tests/auth/test_email_verification.py uses real SMTP
            mail_backend="log",
            # a stream (and consumer groups) of this test's own on the shared Redis
            events_stream=f"test:{uuid.uuid4().hex[:16]}:events",
        )
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        jwt_secret=TEST_SECRET,
        migrate_on_start=False,
        rate_limit_enabled=False,
    )


async def delete_event_streams(redis: Redis, stream: str) -> None:
    """Delete a test's event streams: each handler's, the dead letters, the replays."""
    keys = [key async for key in redis.scan_iter(match=f"{stream}*")]  # the name is unique
    if keys:
        await redis.delete(*keys)


@pytest.fixture
async def container(settings: Settings, database: Database) -> AsyncIterator[Container]:
    """Services wired on the test database."""
    wired = build_container(settings, db=database)
    yield wired
    if wired.redis is not None:
        await delete_event_streams(wired.redis, settings.events_stream)
        await wired.redis.aclose()


@pytest.fixture
async def client(settings: Settings, container: Container) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    app = create_app(settings, container)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
