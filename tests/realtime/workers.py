"""Real `notalabel serve` processes on a database and an event stream of a test's own.

Used by the tests that need more than one worker process (PostgreSQL and Redis only).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from tests.conftest import (
    PG_URL,
    REDIS_URL,
    TEST_SECRET,
    TEST_VOICEPRINT_KEY,
    delete_event_streams,
)
from tests.passkeys.browser import free_port

needs_workers = pytest.mark.skipif(
    PG_URL is None or REDIS_URL is None, reason="needs PostgreSQL and Redis (production mode)"
)


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """A database of this test's own (worker processes cannot share a test's schema)."""
    assert PG_URL is not None
    name = f"nal_workers_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = PG_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.fixture
async def stream() -> AsyncIterator[str]:
    """An event stream of this test's own on the shared Redis."""
    assert REDIS_URL is not None
    name = f"test:{uuid.uuid4().hex[:16]}:events"
    yield name
    redis = Redis.from_url(REDIS_URL)
    await delete_event_streams(redis, name)
    await redis.aclose()


def worker_env(database_url: str, home: Path, stream: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_MODE="production",
        NAL_DATABASE_URL=database_url,
        NAL_REDIS_URL=REDIS_URL or "",
        NAL_JWT_SECRET=TEST_SECRET,
        NAL_VOICEPRINT_KEY=TEST_VOICEPRINT_KEY,
        NAL_MAIL_BACKEND="log",
        NAL_RATE_LIMIT_ENABLED="false",
        NAL_LOG_LEVEL="WARNING",
        NAL_DATA_DIR=str(home),
        NAL_EVENTS_STREAM=stream,
    )
    return env


@dataclass
class Served:
    """One `notalabel serve` process and its address."""

    base: str
    process: subprocess.Popen[bytes]


@contextmanager
def serving(envs: list[dict[str, str]], home: Path, processes: int = 1) -> Iterator[list[Served]]:
    """One server per environment, each on its own port, until the block ends."""
    command = [sys.executable, "-m", "notalabel"]
    subprocess.run([*command, "db", "upgrade"], env=envs[0], cwd=home, check=True)
    servers: list[Served] = []
    try:
        for env in envs:
            port = free_port()
            process = subprocess.Popen(
                [*command, "serve", "--port", str(port), "--workers", str(processes)],
                env=env,
                cwd=home,
            )
            servers.append(Served(f"http://127.0.0.1:{port}", process))
        for server in servers:
            for _ in range(300):
                assert server.process.poll() is None, f"exited with {server.process.returncode}"
                try:
                    if httpx.get(f"{server.base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.terminate()
        for server in servers:
            server.process.wait(timeout=30)


@contextmanager
def workers(env: dict[str, str], home: Path, count: int, processes: int = 1) -> Iterator[list[str]]:
    """`count` servers of `processes` workers each on one environment; their addresses."""
    with serving([env] * count, home, processes) as servers:
        yield [server.base for server in servers]


@pytest.fixture
async def worker_services(
    database_url: str, tmp_path: Path, stream: str
) -> AsyncIterator[Container]:
    """Services of the test process on the workers' database (to make artists, and to crash)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        mode=Mode.PRODUCTION,
        database_url=database_url,
        redis_url=REDIS_URL,
        jwt_secret=TEST_SECRET,
        voiceprint_key=TEST_VOICEPRINT_KEY,
        data_dir=tmp_path,
        mail_backend="log",
        events_stream=stream,
    )
    wired = build_container(settings)
    yield wired
    await wired.close()


class Inbox:
    """What a socket received, in order; `expect` waits for a message that has not been seen."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.unclaimed: list[dict[str, Any]] = []

    async def expect(self, wanted: dict[str, Any]) -> None:
        while wanted not in self.unclaimed:
            raw = json.loads(await asyncio.wait_for(self.socket.recv(), 10))
            self.unclaimed.append({k: v for k, v in raw.items() if k not in ("id", "at")})
        self.unclaimed.remove(wanted)
