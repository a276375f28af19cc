"""Migration 0003 recomputes stored name keys as skeleton keys."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel.db import Database, UTCDateTime, utcnow
from notalabel.identity.naming import name_key
from notalabel.migrate import upgrade
from tests.conftest import PG_URL

USERS = sa.table(
    "users",
    *(sa.column(c, sa.String()) for c in ("id", "artist_name", "artist_name_key")),
    *(
        sa.column(c, sa.JSON())
        for c in ("music_dna", "signature_pattern", "profile", "preferences")
    ),
    sa.column("failed_logins", sa.Integer()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
SESSIONS = sa.table(
    "identity_sessions",
    *(sa.column(c, sa.String()) for c in ("id", "current_step", "tentative_artist_name")),
    sa.column("tentative_name_key", sa.String()),
    *(sa.column(c, sa.JSON()) for c in ("user_responses", "generated_patterns")),
    *(sa.column(c, sa.JSON()) for c in ("name_alternatives", "client_info")),
    sa.column("seed", sa.Integer()),
    sa.column("completed", sa.Boolean()),
    sa.column("version", sa.Integer()),
    *(sa.column(c, UTCDateTime()) for c in ("created_at", "updated_at", "expires_at")),
)


@pytest.fixture
async def blank_database(tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database (no migrations run yet) on the test backend."""
    if PG_URL is None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'blank.db'}")
        yield db
        await db.dispose()
        return
    schema = f"m_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield db
    finally:
        await db.dispose()
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


def user(user_id: str, name: str, age_days: int) -> dict[str, object]:
    created = utcnow() - timedelta(days=age_days)
    return {
        "id": user_id,
        "artist_name": name,
        "artist_name_key": name.casefold(),  # the 0001 key
        "music_dna": {},
        "signature_pattern": {},
        "profile": {},
        "preferences": {},
        "failed_logins": 0,
        "created_at": created,
        "updated_at": created,
    }


async def test_keys_become_skeletons_and_the_older_look_alike_keeps_its_key(
    blank_database: Database,
) -> None:
    await upgrade(blank_database, "0002")
    now = utcnow()
    async with blank_database.engine.begin() as conn:
        await conn.execute(
            USERS.insert(),
            [user("old", "Dreamy", 9), user("new", "Dreаmy", 1), user("other", "Ｎｏｖａ", 5)],
        )
        await conn.execute(
            SESSIONS.insert(),
            [
                {
                    "id": "s1",
                    "current_step": "confirmation",
                    "tentative_artist_name": "Boom",
                    "tentative_name_key": "boom",
                    "user_responses": [],
                    "generated_patterns": [],
                    "name_alternatives": [],
                    "client_info": {},
                    "seed": 1,
                    "completed": False,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                    "expires_at": now + timedelta(days=1),
                }
            ],
        )
    await upgrade(blank_database, "0003")
    async with blank_database.engine.connect() as conn:
        keys = dict((await conn.execute(sa.select(USERS.c.id, USERS.c.artist_name_key))).all())
        held = await conn.scalar(sa.select(SESSIONS.c.tentative_name_key))
    assert keys["old"] == name_key("Dreamy")
    assert keys["new"] == f"{name_key('Dreamy')}#new"
    assert keys["other"] == name_key("Nova")
    assert held == name_key("Boom")
