"""Patterns stored straight through `insert_pattern`, with the age and counters a test needs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.patterns.models import Pattern, new_pattern_id
from notalabel.patterns.service import insert_pattern

PATTERNS: sa.Table = Pattern.__table__  # type: ignore[assignment]
CODE = 'note("c3 e3 g3").sound("piano")'


async def make_pattern(
    container: Container,
    creator_id: str,
    title: str = "A pattern",
    *,
    description: str = "",
    tags: list[str] | None = None,
    genre: str = "lo-fi",
    mood: str = "chill",
    is_public: bool = True,
    age: timedelta = timedelta(0),
    created_at: datetime | None = None,
    **counters: int,
) -> str:
    """Store a pattern `age` old (or made at `created_at`) and return its id."""
    row = pattern_row(
        creator_id,
        title,
        description=description,
        tags=tags,
        genre=genre,
        mood=mood,
        is_public=is_public,
        created_at=created_at or utcnow() - age,
    )

    def work(conn: Connection) -> None:
        insert_pattern(conn, row)
        if counters:
            conn.execute(PATTERNS.update().where(PATTERNS.c.id == row["id"]).values(**counters))

    await container.db.run(work)
    return str(row["id"])


def pattern_row(
    creator_id: str,
    title: str,
    *,
    description: str = "",
    tags: list[str] | None = None,
    genre: str = "lo-fi",
    mood: str = "chill",
    is_public: bool = True,
    created_at: datetime | None = None,
) -> dict[str, Any]:
    """The row of a new hand-written pattern, for `insert_pattern`."""
    made = created_at or utcnow()
    return {
        "id": new_pattern_id(),
        "creator_id": creator_id,
        "title": title,
        "description": description,
        "strudel_code": CODE,
        "model": None,
        "bpm": 90,
        "key": "C minor",
        "genre": genre,
        "mood": mood,
        "tags": tags or [],
        "is_public": is_public,
        "created_at": made,
        "updated_at": made,
    }


async def update_pattern(container: Container, pattern_id: str, **values: Any) -> None:
    """Change columns of a pattern the way the library and engagement services do."""

    def work(conn: Connection) -> None:
        conn.execute(PATTERNS.update().where(PATTERNS.c.id == pattern_id).values(**values))

    await container.db.run(work)


async def delete_pattern(container: Container, pattern_id: str) -> None:
    """Delete a pattern row."""

    def work(conn: Connection) -> None:
        conn.execute(PATTERNS.delete().where(PATTERNS.c.id == pattern_id))

    await container.db.run(work)
