"""Real workers that fail: killed right after a commit, and a handler that keeps failing.

Worker A is killed with SIGKILL while its like is committed but not yet delivered: worker B
delivers it. Then a handler that fails on every try (its table is gone) ends in the dead-letter
stream after its retries, and `notalabel events replay ID` brings it back once it can succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from websockets.asyncio.client import connect

from notalabel.container import Container
from tests.conftest import PG_URL
from tests.patterns.factories import PATTERNS
from tests.realtime.workers import Inbox, needs_workers, serving, worker_env
from tests.users.factories import Artist, make_artist

pytestmark = needs_workers


@pytest.fixture
async def slow_role() -> AsyncIterator[str]:
    """A database role of this test's own: worker A connects as it, so a trigger can stall A."""
    assert PG_URL is not None
    role = f"nal_slow_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f"CREATE ROLE {role} LOGIN SUPERUSER"))
    try:
        yield role
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
            ))  # fmt: skip
            for _ in range(50):
                try:
                    await conn.execute(text(f"DROP ROLE {role}"))
                    break
                except Exception:  # its sessions are still ending
                    await asyncio.sleep(0.1)
        await admin.dispose()


async def open_socket(base: str, artist: Artist) -> Inbox:
    socket = await connect(base.replace("http", "ws") + "/api/realtime")
    await socket.send(json.dumps({"type": "auth", "token": artist.token}))
    assert json.loads(await socket.recv()) == {"type": "ready"}
    return Inbox(socket)


async def make_pattern(base: str, maker: Artist) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        made = await http.post(PATTERNS, json={"description": "dub techno"}, headers=maker.headers)
        assert made.status_code == 201, made.text
        return str(made.json()["id"])


async def scalar(services: Container, sql: str) -> Any:
    return await services.db.read(lambda conn: conn.execute(text(sql)).scalar())


async def test_a_worker_killed_right_after_a_commit_loses_no_event(
    database_url: str, worker_services: Container, tmp_path: Path, stream: str, slow_role: str
) -> None:
    env = worker_env(database_url, tmp_path, stream)
    as_slow = {**env, "NAL_DATABASE_URL": database_url.replace("postgres@", f"{slow_role}@")}
    with serving([as_slow, env], tmp_path) as (worker_a, worker_b):
        maker = await make_artist(worker_services, "Crash Maker")
        fan = await make_artist(worker_services, "Crash Fan")
        pattern_id = await make_pattern(worker_b.base, maker)
        inbox = await open_socket(worker_b.base, maker)
        # from now on A's relay stalls in its first claim of an outbox row: the like's
        # transaction has committed, nothing has been handed on yet
        stall = f"""
            CREATE FUNCTION stall_slow_role() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_user = '{slow_role}' THEN PERFORM pg_sleep(3); END IF;
                RETURN NEW;
            END $$"""
        trigger = """CREATE TRIGGER stall BEFORE UPDATE ON event_outbox
            FOR EACH ROW EXECUTE FUNCTION stall_slow_role()"""
        for statement in (stall, trigger):
            await worker_services.db.run(lambda conn, sql=statement: conn.execute(text(sql)))

        async def like_on_a() -> None:
            with contextlib.suppress(httpx.TransportError):
                async with httpx.AsyncClient(base_url=worker_a.base, timeout=30) as http:
                    await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)

        liking = asyncio.create_task(like_on_a())
        stalled = f"""SELECT count(*) FROM pg_stat_activity
            WHERE usename = '{slow_role}' AND wait_event = 'PgSleep'"""
        for _ in range(100):
            if await scalar(worker_services, stalled):
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("worker A never reached its outbox claim")
        assert await scalar(worker_services, "SELECT count(*) FROM pattern_likes") == 1
        undelivered = "SELECT count(*) FROM event_outbox WHERE delivered_at IS NULL"
        assert await scalar(worker_services, undelivered) == 1

        os.kill(worker_a.process.pid, signal.SIGKILL)
        worker_a.process.wait(timeout=10)
        await liking
        await worker_services.db.run(
            lambda conn: conn.execute(text("DROP TRIGGER stall ON event_outbox"))
        )
        # B's relay finds the row once the dead worker's claim is rolled back
        await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 1})
        await inbox.expect({"type": "notifications", "unreadCount": 1})
        assert await scalar(worker_services, undelivered) == 0
        await inbox.socket.close()


def command(env: dict[str, str], home: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "notalabel", "events", *args],
        env=env, cwd=home, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def test_a_handler_that_always_fails_is_parked_and_replayed_by_the_command(
    database_url: str, worker_services: Container, tmp_path: Path, stream: str
) -> None:
    env = {
        **worker_env(database_url, tmp_path, stream),
        "NAL_EVENTS_RETRY_SECONDS": "0.2",
        "NAL_EVENTS_MAX_ATTEMPTS": "3",
        "NAL_OUTBOX_POLL_SECONDS": "0.2",
    }
    with serving([env, env], tmp_path) as (worker_a, worker_b):
        maker = await make_artist(worker_services, "Parked Maker")
        fan = await make_artist(worker_services, "Parked Fan")
        pattern_id = await make_pattern(worker_a.base, maker)
        inbox = await open_socket(worker_b.base, maker)
        rename = "ALTER TABLE notification_actors RENAME TO {}"
        await worker_services.db.run(
            lambda conn: conn.execute(text(rename.format("notification_actors_away")))
        )
        async with httpx.AsyncClient(base_url=worker_a.base) as http:
            liked = await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)
            assert liked.status_code == 200, liked.text
        # the counter's handler is not affected; the notification's fails on every try
        await inbox.expect({"type": "pattern", "patternId": pattern_id, "likes": 1})
        listed = ""
        for _ in range(100):
            listed = command(env, tmp_path, "dead-letters")
            if "PatternLiked" in listed:
                break
            await asyncio.sleep(0.1)
        [line] = listed.strip().splitlines()
        letter_id, _, name, handler, attempts, error = line.split("\t")
        assert (name, attempts) == ("PatternLiked", "3 attempts")
        assert handler.endswith("NotificationHandlers.pattern_liked")
        assert "notification_actors" in error

        await worker_services.db.run(
            lambda conn: conn.execute(
                text("ALTER TABLE notification_actors_away RENAME TO notification_actors")
            )
        )
        assert "queued PatternLiked" in command(env, tmp_path, "replay", letter_id)
        await inbox.expect({"type": "notifications", "unreadCount": 1})
        assert command(env, tmp_path, "dead-letters").strip() == "no dead letters"
        async with httpx.AsyncClient(base_url=worker_b.base) as http:
            notes = (await http.get("/api/notifications", headers=maker.headers)).json()
        assert [(n["kind"], n["actorCount"]) for n in notes["items"]] == [("pattern_liked", 1)]
        await inbox.socket.close()
