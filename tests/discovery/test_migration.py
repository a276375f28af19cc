"""Migration 0008 backfills existing patterns, and goes down and up again cleanly."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from notalabel.config import Settings
from notalabel.container import Container, build_container
from notalabel.db import Database
from notalabel.discovery.feeds import Feed
from notalabel.migrate import downgrade, upgrade
from tests.conftest import PG_URL
from tests.discovery.factories import make_pattern
from tests.users.factories import make_artist

ADDED_TABLES = {"pattern_tags", "pattern_search", "pattern_search_rows"}


@pytest.fixture
async def blank(tmp_path: Path, settings: Settings) -> AsyncIterator[Container]:
    """Services on an empty database (no migrations run yet) on the test backend."""
    if PG_URL is None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'blank.db'}")
        yield build_container(settings, db=db)
        await db.dispose()
        return
    schema = f"m_{uuid.uuid4().hex[:16]}"
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db = Database(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    container = build_container(settings, db=db)
    try:
        yield container
    finally:
        await db.dispose()
        if container.redis is not None:
            await container.redis.aclose()
        async with admin.connect() as conn:
            await conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def tables(db: Database) -> set[str]:
    """The table names of the schema in use."""
    async with db.engine.connect() as conn:
        return set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))


async def found(container: Container, query: str) -> list[str]:
    """Ids a search finds."""
    return [p.id for p in (await container.discovery.search(query, None)).items]


async def test_existing_patterns_are_found_after_upgrade_down_and_up(blank: Container) -> None:
    await upgrade(blank.db, "0007")
    ana = await make_artist(blank, "Ana Beats")
    old = await make_pattern(
        blank,
        ana.user.id,
        "Dreamy sunset",
        tags=["rain"],
        description="soft keys",
        age=timedelta(days=3),
        likes=5,
    )
    new = await make_pattern(blank, ana.user.id, "Night drive", tags=["rain"], likes=1)

    await upgrade(blank.db)
    assert await found(blank, "dreamy") == [old]
    assert await found(blank, "keys") == [old]
    tagged = await blank.discovery.feed(Feed.RECENT, None, tag="rain")
    assert [p.id for p in tagged.items] == [new, old]
    # backfilled scores: 16 engagement three days old counts 2, less than a fresh 4
    trending = await blank.discovery.feed(Feed.TRENDING, None)
    assert [p.id for p in trending.items] == [new, old]

    await downgrade(blank.db, "0007")
    assert not ADDED_TABLES & await tables(blank.db)
    # patterns written while 0008 is not there are backfilled by the next upgrade
    later = await make_pattern(blank, ana.user.id, "Dreamy dawn", tags=["rain"])
    await upgrade(blank.db)
    assert set(await found(blank, "dreamy")) == {old, later}
    tagged = await blank.discovery.feed(Feed.RECENT, None, tag="rain")
    assert [p.id for p in tagged.items] == [later, new, old]
