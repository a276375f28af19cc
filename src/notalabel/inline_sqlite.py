"""SQLite transactions run right on the event loop, one whole unit of work at a time.

A SQLite statement on a local file takes microseconds; what costs, with a driver that runs
each statement on its own thread (aiosqlite), is the hand-off to that thread and back, and
with BEGIN IMMEDIATE the write lock is held across every hand-off, so writers queue behind
each other's thread switches. Here a unit of work is a plain function over a synchronous
connection, run to its end without yielding: nothing else on the loop can interleave, so
in-process writers are serialised for free and never meet the busy handler.

What must not happen on the loop is waiting: the connection has no busy timeout (a lock held
by another process is retried by awaiting, not by sleeping in C), and WAL checkpoints, the one
step that flushes to disk, run on a worker thread instead of inside a commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import StaticPool

T = TypeVar("T")
logger = logging.getLogger(__name__)
# another process (a migration, a CLI command) holding the write lock: keep retrying for as
# long as the async engine's busy timeout would have waited
_LOCKED_PATIENCE_SECONDS = 30.0
_CHECKPOINT_EVERY_COMMITS = 1000


class InlineSQLite:
    """One synchronous SQLite connection used only from the event loop's thread."""

    def __init__(self, url: str, json_codec: dict[str, Any]) -> None:
        sync_url = make_url(url).set(drivername="sqlite")
        self._path = sync_url.database or ""
        self.engine = create_engine(
            sync_url,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            hide_parameters=True,
            **json_codec,
        )
        self._commits = 0
        self._conn: Connection | None = None
        self._read_only = False
        self._checkpoint: asyncio.Future[None] | None = None

        @event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: Any, _: Any) -> None:
            prepare_connection(
                dbapi_connection, "PRAGMA busy_timeout=0", "PRAGMA wal_autocheckpoint=0"
            )

        @event.listens_for(self.engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN" if self._read_only else "BEGIN IMMEDIATE")

    async def run(self, work: Callable[[Connection], T], *, read_only: bool = False) -> T:
        """Run `work` in one transaction; commit when it returns, roll back when it raises."""
        deadline = time.monotonic() + _LOCKED_PATIENCE_SECONDS
        delay = 0.001
        while True:
            try:
                result = self._run_once(work, read_only=read_only)
            except OperationalError as exc:
                if not _is_locked(exc) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.05)
                continue
            if not read_only:
                self._after_commit()
            return result

    def _run_once(self, work: Callable[[Connection], T], *, read_only: bool) -> T:
        # one connection kept open: a pool checkout and its reset on return cost as much as
        # the statements of a small transaction
        if self._conn is None or self._conn.closed or self._conn.invalidated:
            self._conn = self.engine.connect()
        # runs never interleave (nothing here awaits), so the flag is this run's
        self._read_only = read_only
        with self._conn.begin():
            return work(self._conn)

    def _after_commit(self) -> None:
        self._commits += 1
        if self._commits % _CHECKPOINT_EVERY_COMMITS or self._checkpoint is not None:
            return
        loop = asyncio.get_running_loop()
        self._checkpoint = loop.run_in_executor(None, _checkpoint, self._path)
        self._checkpoint.add_done_callback(self._checkpoint_done)

    def _checkpoint_done(self, future: asyncio.Future[None]) -> None:
        self._checkpoint = None
        if not future.cancelled() and future.exception() is not None:
            logger.warning("WAL checkpoint failed", exc_info=future.exception())

    async def dispose(self) -> None:
        """Wait for a checkpoint in flight, then close the connection."""
        if self._checkpoint is not None:
            with contextlib.suppress(Exception):
                await self._checkpoint
        if self._conn is not None:
            self._conn.close()
        self.engine.dispose()


def prepare_connection(dbapi_connection: Any, *pragmas: str) -> None:
    """WAL, foreign keys, commits that do not flush to disk, and transactions begun by us."""
    # pysqlite's own transaction handling defers BEGIN; ours says BEGIN IMMEDIATE for writers
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "PRAGMA journal_mode=WAL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA synchronous=NORMAL",
        *pragmas,
    ):
        cursor.execute(pragma)
    cursor.close()


def _is_locked(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _checkpoint(path: str) -> None:
    """Copy the WAL back into the database file (PASSIVE: waits for no reader or writer)."""
    connection = sqlite3.connect(path, timeout=0)
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        connection.close()
