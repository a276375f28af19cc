"""SQLite units of work on the event loop: they wait for another process's lock by awaiting."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from notalabel.db import Database
from notalabel.storage import sqlite_path

pytestmark = pytest.mark.skipif(
    os.environ.get("NAL_TEST_DATABASE_URL") is not None, reason="SQLite's own path"
)


def _file(database: Database) -> Path:
    path = sqlite_path(database.url)
    assert path is not None
    return path


def _write(conn: Connection) -> int:
    conn.execute(text("CREATE TABLE IF NOT EXISTS probe (n INTEGER)"))
    conn.execute(text("INSERT INTO probe VALUES (1)"))
    return int(conn.execute(text("SELECT count(*) FROM probe")).scalar_one())


async def test_a_writer_in_another_process_is_waited_for_without_blocking_the_loop(
    database: Database,
) -> None:
    other = sqlite3.connect(_file(database), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    clock = asyncio.create_task(ticker())
    began = time.monotonic()
    writing = asyncio.create_task(database.run(_write))
    await asyncio.sleep(0.3)
    assert not writing.done()
    other.execute("COMMIT")
    other.close()
    assert await asyncio.wait_for(writing, 5) == 1
    clock.cancel()
    assert time.monotonic() - began >= 0.3
    # the loop kept running while the unit of work waited for the lock
    assert ticks >= 15


async def test_a_failing_unit_of_work_leaves_nothing_behind(database: Database) -> None:
    await database.run(_write)

    def half_done(conn: Connection) -> None:
        conn.execute(text("INSERT INTO probe VALUES (2)"))
        raise RuntimeError("midway")

    with pytest.raises(RuntimeError):
        await database.run(half_done)
    count = await database.read(
        lambda conn: conn.execute(text("SELECT count(*) FROM probe")).scalar_one()
    )
    assert count == 1
