"""Async SQLAlchemy engine, declarative base and transactions on SQLite or PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson
from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from notalabel.inline_sqlite import InlineSQLite, prepare_connection
from notalabel.storage import sqlite_path

T = TypeVar("T")


def _dump_json(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


# JSON documents (transcripts, pattern models) are encoded on every step: orjson, not json
JSON_CODEC: dict[str, Any] = {"json_serializer": _dump_json, "json_deserializer": orjson.loads}

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Database:
    """Owns the engine; services open transactions through it."""

    def __init__(
        self, url: str, *, connect_args: dict[str, Any] | None = None, pool_size: int = 20
    ) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._inline: InlineSQLite | None = None
        # in-process SQLite writers queue here instead of spinning on the busy handler
        self._writer = asyncio.Lock()
        args = dict(connect_args or {})
        # Statement parameters (passwords' hashes, emails, transcripts) never reach logs or
        # error messages.
        if self.is_sqlite:
            _prepare_sqlite_file(url)
            args.setdefault("timeout", 30)
            self.engine: AsyncEngine = create_async_engine(
                url, connect_args=args, hide_parameters=True, **JSON_CODEC
            )
            _configure_sqlite(self.engine)
            self._inline = InlineSQLite(url, JSON_CODEC)
        else:
            self.engine = create_async_engine(
                url,
                connect_args=args,
                # requests wait for one of these (pool_timeout, 30 s) rather than open more
                pool_size=pool_size,
                max_overflow=0,
                hide_parameters=True,
                **JSON_CODEC,
            )
            _ping_idle_connections(self.engine)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error."""
        if self._inline is None:
            async with self.sessions() as session, session.begin():
                yield session
            return
        async with self._writer, self.sessions() as session, session.begin():
            yield session

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` (Core statements on a plain connection) as one writing transaction.

        The hot paths use this instead of `transaction()`: on SQLite the whole function runs
        in one go on the event loop (see inline_sqlite.py); on PostgreSQL it runs in one
        greenlet over a pooled asyncpg connection, each statement one round trip.
        """
        if self._inline is None:
            async with self.engine.begin() as conn:
                return await conn.run_sync(work)
        async with self._writer:
            return await self._inline.run(work)

    async def run_single(self, work: Callable[[Connection], T]) -> T:
        """Run `work`, which writes with exactly one statement, atomic without BEGIN/COMMIT.

        One statement is a transaction of its own on both databases; on PostgreSQL autocommit
        saves the BEGIN and COMMIT round trips (the relay makes two such writes per event).
        """
        if self._inline is None:
            return await self._autocommit(work)
        async with self._writer:
            return await self._inline.run(work)

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run `work` as one read-only transaction (on SQLite it waits for no writer)."""
        if self._inline is None:
            # READ COMMITTED gives each statement its own snapshot inside a transaction too:
            # autocommit reads the same and saves the BEGIN and ROLLBACK round trips
            return await self._autocommit(work)
        return await self._inline.run(work, read_only=True)

    async def _autocommit(self, work: Callable[[Connection], T]) -> T:
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            return await conn.run_sync(work)

    async def ping(self) -> None:
        """Raise if the database cannot answer a trivial query (SQLite: or take a write)."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            if self.is_sqlite:
                # a read-only file still answers SELECT; rewriting the header's unused
                # user_version proves writes get through
                version = (await conn.exec_driver_sql("PRAGMA user_version")).scalar_one()
                await conn.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                await conn.commit()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        if self._inline is not None:
            await self._inline.dispose()
        await self.engine.dispose()


def _prepare_sqlite_file(url: str) -> None:
    # The data directory is created 0700 and the file 0600 before SQLite opens it; SQLite
    # gives its -wal and -shm files the database file's mode. Files left by older versions
    # are tightened here too.
    path = sqlite_path(url)
    if path is None:
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(OSError):
            (path.parent / name).chmod(0o600)


# A connection that sat unused this long is pinged before use (it may have been cut by a
# server restart or a firewall); a busy pool is not, which saves a round trip per transaction.
# A connection that dies under load fails one request, and the pool then replaces them all.
IDLE_PING_SECONDS = 10.0


def _ping_idle_connections(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # the pool drops this connection and checks out (or opens) another
            raise DisconnectionError("idle connection failed its ping") from exc


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling defers BEGIN and would let two writers read the
    # same snapshot and then fail to upgrade their lock; BEGIN IMMEDIATE queues them instead.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _: Any) -> None:
        # these connections wait on their own thread, so they may wait for the lock
        prepare_connection(dbapi_connection, "PRAGMA busy_timeout=30000")

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def json_column_type() -> Any:
    """JSON on SQLite, JSONB on PostgreSQL."""
    from sqlalchemy import JSON
    from sqlalchemy.dialects.postgresql import JSONB

    return JSON().with_variant(JSONB(), "postgresql")


JSONDoc = json_column_type()
