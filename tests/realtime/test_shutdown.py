"""A server stopped (SIGTERM) under load finishes what it started and loses no event.

A real `notalabel serve` (production when the suite runs on PostgreSQL, else embedded) takes
600 likes, each on a new connection, CLIENTS at a time; it is told to stop while they are in
flight. Every like that was stored must have been answered 200 (a request cut off after its
commit would leave the client guessing); a connection the server had not read a request from
yet may be closed or refused, which tells the client that nothing happened. After a restart
every stored like has reached the maker's notifications, whatever the stop left in the outbox.

The test holds the likes' writes (a lock on the patterns) across the stop, so that exactly
CLIENTS likes are surely inside the server when it is told to stop, whatever the timing: a stop
timed only by answers could land when a burst of answers had emptied the server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel.config import Settings
from notalabel.container import Container, build_container
from notalabel.engagement.models import PatternLike
from notalabel.events.outbox import OUTBOX
from notalabel.notifications.models import NOTIFICATIONS
from tests.conftest import PG_URL, TEST_SECRET, TEST_VOICEPRINT_KEY
from tests.patterns.factories import PATTERNS
from tests.realtime.workers import needs_workers, serving, worker_env
from tests.users.factories import Artist, make_artist

FANS = 24
PATTERN_COUNT = 25
CLIENTS = 20


@pytest.fixture
async def embedded(tmp_path: Path) -> AsyncIterator[tuple[dict[str, str], Container]]:
    """The embedded server's environment, and the test's services on its SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_DATA_DIR=str(tmp_path),
        NAL_JWT_SECRET=TEST_SECRET,
        NAL_VOICEPRINT_KEY=TEST_VOICEPRINT_KEY,
        NAL_RATE_LIMIT_ENABLED="false",
        NAL_LOG_LEVEL="WARNING",
    )
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        jwt_secret=TEST_SECRET,
        migrate_on_start=False,
        rate_limit_enabled=False,
    )
    wired = build_container(settings)
    yield env, wired
    await wired.close()


async def like(http: httpx.AsyncClient, fan: Artist, pattern_id: str) -> int | str:
    """One like (on a connection of its own): the status, or how the connection failed."""
    try:
        return (await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)).status_code
    except httpx.ConnectError:
        return "refused"  # the server had stopped listening
    except httpx.TransportError as exc:
        return f"cut off: {exc!r}"


@asynccontextmanager
async def patterns_locked(database_url: str) -> AsyncIterator[None]:
    """Every like's write waits (row locks on PostgreSQL, the write lock on SQLite) till the end."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(url.database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn, conn.begin():
            await conn.execute(sa.text("SELECT id FROM patterns FOR UPDATE"))
            yield
    finally:
        await engine.dispose()


async def stopped_listening(base: str) -> None:
    """Return once the server refuses new connections (a probe that connects sends nothing)."""
    address = httpx.URL(base)
    for _ in range(300):
        try:
            _, writer = await asyncio.open_connection(address.host, address.port)
        except ConnectionRefusedError:
            return
        writer.close()
        await asyncio.sleep(0.05)
    raise AssertionError("the server still listens 15 s after SIGTERM")


@pytest.mark.skipif(PG_URL is not None, reason="the production variant runs on PostgreSQL")
async def test_an_embedded_server_stopped_under_load_answers_every_stored_like(
    tmp_path: Path, embedded: tuple[dict[str, str], Container]
) -> None:
    await stop_under_load(*embedded, tmp_path)


@needs_workers
async def test_a_production_worker_stopped_under_load_answers_every_stored_like(
    database_url: str, worker_services: Container, tmp_path: Path, stream: str
) -> None:
    await stop_under_load(worker_env(database_url, tmp_path, stream), worker_services, tmp_path)


async def stop_under_load(env: dict[str, str], services: Container, tmp_path: Path) -> None:
    """The test: likes in flight, SIGTERM, then what was stored, answered and delivered."""
    with serving([env], tmp_path) as (server,):
        maker = await make_artist(services, "Shutdown Maker")
        fans = [await make_artist(services, f"Shutdown Fan {n}") for n in range(FANS)]
        pattern_ids = []
        async with httpx.AsyncClient(base_url=server.base) as http:
            for _ in range(PATTERN_COUNT):
                made = await http.post(PATTERNS, json={"description": "dub"}, headers=maker.headers)
                assert made.status_code == 201, made.text
                pattern_ids.append(made.json()["id"])
        pairs = [(fan, pattern_id) for fan in fans for pattern_id in pattern_ids]
        clients = asyncio.Semaphore(CLIENTS)
        in_flight: set[tuple[str, str]] = set()
        # a new connection for every like, from one client (a client each costs 20 ms of CPU)
        no_reuse = httpx.Limits(max_keepalive_connections=0)
        http = httpx.AsyncClient(base_url=server.base, limits=no_reuse, timeout=60)

        async def paced(fan: Artist, pattern_id: str) -> int | str:
            async with clients:
                in_flight.add((fan.user.id, pattern_id))
                try:
                    return await like(http, fan, pattern_id)
                finally:
                    in_flight.discard((fan.user.id, pattern_id))

        tasks = [asyncio.create_task(paced(fan, p)) for fan, p in pairs]
        await asyncio.wait(tasks[: len(tasks) // 10])
        async with patterns_locked(services.settings.effective_database_url):
            # every client's like reaches the server and waits there for the lock
            for _ in range(200):
                if len(in_flight) == CLIENTS:
                    break
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.5)
            waiting = set(in_flight)
            answered_before_the_stop = sum(task.done() for task in tasks)
            assert len(waiting) == CLIENTS
            server.process.send_signal(signal.SIGTERM)
            await stopped_listening(server.base)
            await asyncio.sleep(1)  # a server that gives up on its requests has done so by now
        outcomes = await asyncio.gather(*tasks)
        await http.aclose()
        # uvicorn raises the signal again once its shutdown is done
        assert server.process.wait(timeout=60) == -signal.SIGTERM

    stored = set(
        await services.db.read(
            lambda conn: conn.execute(sa.select(PatternLike.user_id, PatternLike.pattern_id)).all()
        )
    )
    answers = {(fan.user.id, p): outcome for (fan, p), outcome in zip(pairs, outcomes, strict=True)}
    assert stored, "the stop came before any like was stored"
    assert len(stored) < len(pairs), "the stop came after every like: nothing was in flight"
    assert {key: answers[key] for key in stored} == dict.fromkeys(stored, 200)
    assert all(o == 200 or isinstance(o, str) for o in outcomes), outcomes  # never an error
    # the likes in flight at the stop were finished and answered, and no other was taken
    assert {key for key in answers if answers[key] == 200} >= waiting
    assert outcomes.count(200) == answered_before_the_stop + CLIENTS

    # whatever the stop left undelivered is delivered when the server starts again
    with serving([env], tmp_path):
        for _ in range(100):
            undelivered = await services.db.read(
                lambda conn: conn.execute(
                    sa.select(sa.func.count()).where(OUTBOX.c.delivered_at.is_(None))
                ).scalar_one()
            )
            if undelivered == 0:
                break
            await asyncio.sleep(0.1)
    told = await services.db.read(
        lambda conn: conn.execute(
            sa.select(sa.func.sum(NOTIFICATIONS.c.actor_count)).where(
                NOTIFICATIONS.c.recipient_id == maker.user.id
            )
        ).scalar_one()
    )
    assert told == len(stored)
