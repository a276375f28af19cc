"""Patterns stored directly (engine-made or hand-written) for the remix and lineage tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import Table, func, select, update

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.engine.language import analyze_description
from notalabel.engine.pattern import PatternModel, generate_pattern
from notalabel.patterns.models import Pattern, new_pattern_id
from notalabel.patterns.service import insert_pattern
from tests.users.factories import Artist

PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]
HAND_WRITTEN = 's("bd sd [~ bd] sd").bank("RolandTR909")'


def pattern_row(creator_id: str, **fields: Any) -> dict[str, Any]:
    """A full patterns row: engine-made from `describe` unless `code` is given."""
    now = utcnow() + timedelta(microseconds=fields.pop("offset_us", 0))
    code = fields.pop("code", None)
    row: dict[str, Any] = {
        "id": new_pattern_id(),
        "creator_id": creator_id,
        "title": "A pattern",
        "description": "",
        "tags": ["test"],
        "is_signature": False,
        "is_public": True,
        "is_remixable": True,
        "original_pattern_id": None,
        "remix_type": None,
        "created_at": now,
        "updated_at": now,
    }
    describe = fields.pop("describe", "chill lo-fi beats for studying")
    if code is None:
        made = generate_pattern(analyze_description(describe), fields.pop("seed", 0))
        row.update(
            strudel_code=made.code,
            model=made.model.to_json(),
            bpm=made.bpm,
            key=made.key,
            genre=made.genre.value,
            mood=made.mood.value,
            ai_generated=True,
            prompt=describe,
        )
    else:
        row.update(
            strudel_code=code,
            model=None,
            bpm=120,
            key="C minor",
            genre=fields.pop("genre", "house"),
            mood=fields.pop("mood", "energetic"),
            ai_generated=False,
            prompt=None,
        )
    row.update(fields)
    return row


async def store(container: Container, creator_id: str, **fields: Any) -> dict[str, Any]:
    """Insert a pattern (and its version 1) and return its row."""
    row = pattern_row(creator_id, **fields)
    await container.db.run(lambda conn: insert_pattern(conn, row))
    return row


async def read(container: Container, pattern_id: str) -> dict[str, Any] | None:
    """The stored row, or None."""

    def work(conn: Any) -> dict[str, Any] | None:
        found = conn.execute(select(PATTERNS).where(PATTERNS.c.id == pattern_id)).mappings()
        row = found.first()
        return dict(row) if row is not None else None

    return await container.db.read(work)


async def set_parent(container: Container, pattern_id: str, parent_id: str | None) -> None:
    """Force `original_pattern_id` (to build chains and cycles the API can't make)."""
    query = update(PATTERNS).where(PATTERNS.c.id == pattern_id)
    await container.db.run(lambda conn: conn.execute(query.values(original_pattern_id=parent_id)))


async def chain(container: Container, creator_id: str, length: int) -> list[str]:
    """`length` hand-written patterns, each a variation of the one before; ids root first."""
    ids: list[str] = []
    rows = []
    for index in range(length):
        row = pattern_row(
            creator_id,
            code=HAND_WRITTEN,
            title=f"Step {index}",
            offset_us=index,
            original_pattern_id=ids[-1] if ids else None,
            remix_type="variation" if ids else None,
        )
        ids.append(row["id"])
        rows.append(row)

    def work(conn: Any) -> None:
        for row in rows:
            insert_pattern(conn, row)

    await container.db.run(work)
    return ids


def model_of(row: dict[str, Any]) -> PatternModel:
    """The engine model a row keeps."""
    return PatternModel.from_json(row["model"])


def remix_url(pattern_id: str) -> str:
    """/api/patterns/{id}/remix."""
    return f"/api/patterns/{pattern_id}/remix"


async def remix(
    client: httpx.AsyncClient, artist: Artist, pattern_id: str, **body: Any
) -> httpx.Response:
    """POST a remix as `artist`."""
    return await client.post(remix_url(pattern_id), json=body, headers=artist.headers)


async def pattern_count(container: Container) -> int:
    """COUNT(*) of patterns."""
    query = select(func.count()).select_from(PATTERNS)
    return int(await container.db.read(lambda conn: conn.execute(query).scalar_one()))
