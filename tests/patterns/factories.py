"""Patterns made through the API, and rows written directly where a test needs them."""

from __future__ import annotations

from typing import Any

import httpx

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.patterns.models import new_pattern_id
from notalabel.patterns.service import insert_pattern
from tests.users.factories import Artist

PATTERNS = "/api/patterns"
HAND_CODE = 'setcpm(90/4)\nstack(s("bd ~ sd ~").bank("RolandTR808"), note("c3 e3 g3").s("piano"))'


def url(pattern_id: str, action: str = "") -> str:
    """/api/patterns/{id}[/{action}]."""
    return f"{PATTERNS}/{pattern_id}" + (f"/{action}" if action else "")


async def create(client: httpx.AsyncClient, artist: Artist, **body: Any) -> dict[str, Any]:
    """POST /api/patterns (an engine pattern from a description unless told); must be 201."""
    if "code" not in body and "musicDNA" not in body:
        body.setdefault("description", "chill lo-fi beats for studying")
    response = await client.post(PATTERNS, json=body, headers=artist.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def hand_written(client: httpx.AsyncClient, artist: Artist, **body: Any) -> dict[str, Any]:
    """A hand-written lo-fi pattern."""
    fields = {"code": HAND_CODE, "genre": "lo-fi", "mood": "chill", **body}
    return await create(client, artist, **fields)


async def insert_row(container: Container, creator_id: str, **values: Any) -> str:
    """A patterns row written directly (remixes, for the tests of what the FK does)."""
    now = utcnow()
    row = {
        "id": new_pattern_id(),
        "creator_id": creator_id,
        "title": "Direct row",
        "description": "",
        "strudel_code": 's("bd sd")',
        "model": None,
        "bpm": 90,
        "key": "",
        "genre": "lo-fi",
        "mood": "chill",
        "tags": [],
        "is_signature": False,
        "is_public": True,
        "is_remixable": True,
        "original_pattern_id": None,
        "remix_type": None,
        "ai_generated": False,
        "prompt": None,
        "difficulty": 5,
        "time_signature": "4/4",
        "version": 1,
        "likes": 0,
        "plays": 0,
        "shares": 0,
        "comments": 0,
        "remixes": 0,
        "created_at": now,
        "updated_at": now,
        **values,
    }
    await container.db.run(lambda conn: insert_pattern(conn, row))
    return str(row["id"])
