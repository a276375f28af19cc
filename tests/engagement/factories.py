"""Patterns stored directly, artists in bulk, and the rows and events the tests count."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.engagement.counters import COMMENT_LIKES, COMMENTS, LIKES, LISTENS, PATTERNS
from notalabel.events import Event
from notalabel.patterns.models import new_pattern_id
from notalabel.patterns.service import insert_pattern
from tests.users.factories import Artist

CODE = 'setcpm(90/4)\nstack(s("bd ~ sd ~"), note("c3 e3 g3").s("sawtooth"))'


async def make_pattern(
    container: Container, creator_id: str, *, is_public: bool = True, title: str = "Night drive"
) -> str:
    """Store a hand-written pattern of `creator_id` and return its id."""
    now = utcnow()
    row: dict[str, Any] = {
        "id": new_pattern_id(),
        "creator_id": creator_id,
        "title": title,
        "description": "a test pattern",
        "strudel_code": CODE,
        "model": None,
        "bpm": 90,
        "key": "C minor",
        "genre": "lo-fi",
        "mood": "chill",
        "tags": [],
        "is_public": is_public,
        "created_at": now,
        "updated_at": now,
    }
    await container.db.run(lambda conn: insert_pattern(conn, row))
    return str(row["id"])


async def pattern_counters(container: Container, pattern_id: str) -> dict[str, int]:
    """The stored counters of one pattern."""
    columns = [PATTERNS.c[name] for name in ("likes", "plays", "shares", "comments")]

    def read(conn: Connection) -> dict[str, int]:
        row = conn.execute(select(*columns).where(PATTERNS.c.id == pattern_id)).mappings().one()
        return {key: int(value) for key, value in row.items()}

    return await container.db.read(read)


async def rows(container: Container, table_name: str, **where: str) -> int:
    """COUNT(*) of a table's rows, narrowed by column equality."""
    table = {
        "likes": LIKES,
        "listens": LISTENS,
        "comments": COMMENTS,
        "comment_likes": COMMENT_LIKES,
    }[table_name]
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    return int(await container.db.read(lambda conn: conn.execute(query).scalar_one()))


async def comment_likes(container: Container, comment_id: str) -> int:
    """The stored like counter of one comment."""
    query = select(COMMENTS.c.likes).where(COMMENTS.c.id == comment_id)
    return int(await container.db.read(lambda conn: conn.execute(query).scalar_one()))


def recorder(container: Container, *types: type[Event]) -> list[Event]:
    """Collect every published event of `types`."""
    seen: list[Event] = []

    async def handler(event: Event) -> None:
        seen.append(event)

    for kind in types:
        container.bus.subscribe(kind, handler)
    return seen


async def block(client: httpx.AsyncClient, who: Artist, whom: Artist) -> None:
    """`who` blocks `whom` through the API."""
    response = await client.post(f"/api/users/{whom.user.id}/block", headers=who.headers)
    assert response.status_code == 200, response.text


def like_url(pattern_id: str) -> str:
    """/api/patterns/{id}/like."""
    return f"/api/patterns/{pattern_id}/like"
