"""PostgreSQL: a pooled connection cut while idle is replaced, not handed to a request."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel import db as db_module
from notalabel.db import Database

PG_URL = os.environ.get("NAL_TEST_DATABASE_URL")
pytestmark = pytest.mark.skipif(PG_URL is None, reason="needs PostgreSQL")


async def test_a_connection_killed_while_idle_is_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert PG_URL is not None
    name = f"idle-{uuid.uuid4().hex[:12]}"
    database = Database(PG_URL, connect_args={"server_settings": {"application_name": name}})
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        assert await database.read(lambda conn: conn.execute(text("SELECT 1")).scalar()) == 1
        async with admin.connect() as conn:
            killed = await conn.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            )
        assert killed == 1
        monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.0)
        assert await database.read(lambda conn: conn.execute(text("SELECT 2")).scalar()) == 2
    finally:
        await database.dispose()
        await admin.dispose()
