"""`notalabel events dead-letters` and `notalabel events replay ID` on the embedded database."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from typer.testing import CliRunner

from notalabel.cli import app
from notalabel.config import Settings
from notalabel.db import Database
from notalabel.events import outbox
from notalabel.migrate import upgrade
from tests.conftest import REDIS_URL
from tests.events.test_outbox import SomethingHappened, stage, wired
from tests.events.test_streams import Worker

runner = CliRunner()


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database URL the command will use (a fresh SQLite file, migrated)."""
    for name in ("NAL_DATABASE_URL", "NAL_MODE", "NAL_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NAL_DATA_DIR", str(tmp_path))
    url = Settings(_env_file=None).effective_database_url  # type: ignore[call-arg]

    async def migrate() -> None:
        db = Database(url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(migrate())
    return url


def test_dead_letters_are_listed_and_replayed_once(embedded: str) -> None:
    async def fail_three_times() -> None:
        db = Database(embedded)
        bus, relay, seen = wired(db, retry_base=timedelta(0), max_attempts=3)
        seen.failures = 3
        await stage(db, bus, SomethingHappened(value=8))
        for _ in range(3):
            await relay.deliver_due()
        await db.dispose()

    asyncio.run(fail_three_times())
    listed = runner.invoke(app, ["events", "dead-letters"])
    assert listed.exit_code == 0, listed.output
    letter_id, _, name, handler, attempts, error = listed.output.strip().split("\t")
    assert (name, handler, attempts) == ("SomethingHappened", "tests.seen", "3 attempts")
    assert "boom" in error

    replayed = runner.invoke(app, ["events", "replay", letter_id])
    assert replayed.exit_code == 0, replayed.output
    assert "queued SomethingHappened" in replayed.output
    assert runner.invoke(app, ["events", "dead-letters"]).output.strip() == "no dead letters"
    again = runner.invoke(app, ["events", "replay", letter_id])
    assert again.exit_code == 1
    assert "replayed already" in again.output
    assert runner.invoke(app, ["events", "replay", "999"]).exit_code == 1

    async def deliver() -> list[int]:
        db = Database(embedded)
        _, relay, seen = wired(db)
        await relay.deliver_due()
        rows = await db.read(lambda conn: outbox.dead_letters(conn, include_replayed=True))
        await db.dispose()
        assert len(rows) == 1
        assert rows[0].replayed_at is not None
        return seen.values

    assert asyncio.run(deliver()) == [8]


@pytest.mark.skipif(REDIS_URL is None, reason="needs Redis (NAL_TEST_REDIS_URL)")
def test_with_redis_the_commands_read_the_dead_letter_stream(
    embedded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert REDIS_URL is not None
    stream = f"test:{uuid.uuid4().hex[:16]}:events"
    monkeypatch.setenv("NAL_REDIS_URL", REDIS_URL)
    monkeypatch.setenv("NAL_EVENTS_STREAM", stream)

    async def fail_twice() -> list[int]:
        db, redis = Database(embedded), Redis.from_url(REDIS_URL)
        worker = Worker(db, redis, stream, attempts=2)
        worker.seen.failures = 2
        await stage(db, worker.bus, SomethingHappened(value=6))
        await worker.relay.deliver_due()
        await worker.streams.retry_due()
        seen = worker.seen.values
        await redis.aclose()
        await db.dispose()
        return seen

    assert asyncio.run(fail_twice()) == []
    listed = runner.invoke(app, ["events", "dead-letters"])
    assert listed.exit_code == 0, listed.output
    letter_id, _, name, handler, attempts, error = listed.output.strip().split("\t")
    assert (name, handler, attempts) == ("SomethingHappened", "tests.seen", "2 attempts")
    assert "-" in letter_id  # a stream id, not a table row
    assert "boom" in error

    replayed = runner.invoke(app, ["events", "replay", letter_id])
    assert replayed.exit_code == 0, replayed.output
    assert runner.invoke(app, ["events", "dead-letters"]).output.strip() == "no dead letters"
    assert "replayed already" in runner.invoke(app, ["events", "replay", letter_id]).output

    async def deliver() -> tuple[list[int], list[int]]:
        db, redis = Database(embedded), Redis.from_url(REDIS_URL)
        worker = Worker(db, redis, stream)
        await worker.streams.pump()
        await redis.delete(stream, f"{stream}:dead", f"{stream}:dead:replayed")
        await redis.aclose()
        await db.dispose()
        return worker.seen.values, worker.other.values

    # the replay is for the failed handler alone
    assert asyncio.run(deliver()) == ([6], [])
