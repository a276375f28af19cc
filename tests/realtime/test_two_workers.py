"""Two real API workers on PostgreSQL and Redis: a push crosses workers, and nothing is lost.

Each worker is its own `notalabel serve` process on a database of this test's own. An artist's
socket is open on worker B; a like is sent to worker A. Then an event is committed to the outbox
by a process that never delivers it (what a crash right after the commit leaves behind): a
worker's relay finds it on its next poll and the socket on B hears of it.
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
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.asyncio.client import connect

from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from notalabel.patterns.events import PatternLiked
from tests.conftest import PG_URL, REDIS_URL, TEST_SECRET
from tests.passkeys.browser import free_port
from tests.patterns.factories import PATTERNS
from tests.users.factories import make_artist

pytestmark = pytest.mark.skipif(
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


def worker_env(database_url: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_MODE="production",
        NAL_DATABASE_URL=database_url,
        NAL_REDIS_URL=REDIS_URL or "",
        NAL_JWT_SECRET=TEST_SECRET,
        NAL_MAIL_BACKEND="log",
        NAL_RATE_LIMIT_ENABLED="false",
        NAL_LOG_LEVEL="WARNING",
        NAL_DATA_DIR=str(home),
    )
    return env


@contextmanager
def workers(env: dict[str, str], home: Path, count: int, processes: int = 1) -> Iterator[list[str]]:
    """`count` servers of `processes` workers each, each on its own port, until the block ends."""
    command = [sys.executable, "-m", "notalabel"]
    subprocess.run([*command, "db", "upgrade"], env=env, cwd=home, check=True)
    servers: list[subprocess.Popen[bytes]] = []
    bases = []
    try:
        for _ in range(count):
            port = free_port()
            servers.append(
                subprocess.Popen(
                    [*command, "serve", "--port", str(port), "--workers", str(processes)],
                    env=env,
                    cwd=home,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for server, base in zip(servers, bases, strict=True):
            for _ in range(300):
                assert server.poll() is None, f"a worker exited with {server.returncode}"
                try:
                    if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


@pytest.fixture
async def container(database_url: str, tmp_path: Path) -> AsyncIterator[Container]:
    """Services of the test process on the workers' database (to make artists, and to crash)."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        mode=Mode.PRODUCTION,
        database_url=database_url,
        redis_url=REDIS_URL,
        jwt_secret=TEST_SECRET,
        data_dir=tmp_path,
        mail_backend="log",
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


async def test_a_like_on_worker_a_reaches_a_socket_on_worker_b_and_nothing_is_lost(
    database_url: str, container: Container, tmp_path: Path
) -> None:
    env = worker_env(database_url, tmp_path)
    with workers(env, tmp_path, 2) as (worker_a, worker_b):
        maker = await make_artist(container, "Two Worker Maker")
        fan = await make_artist(container, "Two Worker Fan")
        late = await make_artist(container, "Late Fan")
        async with httpx.AsyncClient(base_url=worker_a) as http:
            made = await http.post(
                PATTERNS, json={"description": "dub techno"}, headers=maker.headers
            )
            assert made.status_code == 201, made.text
            pattern_id = made.json()["id"]
            socket = await connect(worker_b.replace("http", "ws") + "/api/realtime")
            await socket.send(json.dumps({"type": "auth", "token": maker.token}))
            assert json.loads(await socket.recv()) == {"type": "ready"}
            inbox = Inbox(socket)

            liked = await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)
            assert liked.status_code == 200, liked.text
            await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 1})
            await inbox.expect({"type": "notifications", "unreadCount": 1})

            # committed, never delivered by the process that wrote it (a crash right after
            # the commit): a worker's relay finds it on its next poll
            lost = PatternLiked(
                pattern_id=pattern_id, creator_id=maker.user.id, user_id=late.user.id, likes=2
            )
            await container.db.run(lambda conn: container.bus.stage(conn, [lost]))
            await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 2})
            await inbox.expect({"type": "notifications", "unreadCount": 1})  # grouped
            notes = await http.get("/api/notifications", headers=maker.headers)
            [note] = notes.json()["items"]
            assert note["actorCount"] == 2
            await socket.close()


def requests_counted(metrics: str, route: str) -> float:
    """The request counter of `route` (GET, 200) in a Prometheus exposition."""
    for line in metrics.splitlines():
        wanted = (f'route="{route}"', 'method="GET"', 'status="200"')
        if line.startswith("notalabel_http_requests_total{") and all(w in line for w in wanted):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def test_metrics_add_up_every_workers_requests(database_url: str, tmp_path: Path) -> None:
    env = {**worker_env(database_url, tmp_path), "NAL_METRICS_TOKEN": "m" * 40}
    token = {"Authorization": "Bearer " + "m" * 40}
    with workers(env, tmp_path, 1, processes=2) as (base,):
        async with httpx.AsyncClient(base_url=base) as http:
            before = requests_counted((await http.get("/metrics", headers=token)).text, "/readyz")
            # a new connection each time, so the requests spread over both workers
            for _ in range(30):
                async with httpx.AsyncClient(base_url=base) as once:
                    assert (await once.get("/readyz")).status_code == 200
            for _ in range(4):  # whichever worker answers, the sum is the same
                metrics = (await http.get("/metrics", headers=token)).text
                assert requests_counted(metrics, "/readyz") - before == 30
