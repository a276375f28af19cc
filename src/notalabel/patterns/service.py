"""Saving patterns to the library."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from notalabel.db import utcnow
from notalabel.patterns.models import Pattern, PatternVersion, new_pattern_id


def _signature_values(user_id: str, artist_name: str, record: dict[str, Any]) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": new_pattern_id(),
        "creator_id": user_id,
        "title": f"{artist_name}'s signature",
        "description": record["description"],
        "strudel_code": record["strudelCode"],
        "model": record.get("model"),
        "bpm": record["bpm"],
        "key": record["key"],
        "genre": record["genre"],
        "mood": record["mood"],
        "tags": ["signature", record["genre"], record["mood"]],
        "is_signature": True,
        "ai_generated": True,
        "created_at": now,
        "updated_at": now,
    }


def _signature(values: dict[str, Any], record: dict[str, Any]) -> dict[str, Any]:
    """The signature as the account keeps it."""
    return {
        "id": values["id"],
        "strudelCode": values["strudel_code"],
        "description": values["description"],
        "bpm": values["bpm"],
        "key": values["key"],
        "mood": values["mood"],
        "genre": values["genre"],
        "shareUrl": record["shareUrl"],
        "createdAt": values["created_at"].isoformat(),
    }


def draft_signature_pattern(
    user_id: str, artist_name: str, record: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pattern row for `insert_signature_pattern`, and the signature the account keeps."""
    values = _signature_values(user_id, artist_name, record)
    return values, _signature(values, record)


def insert_signature_pattern(conn: Connection, row: dict[str, Any]) -> None:
    """Store a `draft_signature_pattern` row and its first version (Core, in `Database.run`)."""
    insert_pattern(conn, row)


def insert_pattern(conn: Connection, row: dict[str, Any]) -> None:
    """Store a full `patterns` row (id, created_at set) and its version 1, in one transaction."""
    conn.execute(insert(Pattern), [row])
    conn.execute(insert(PatternVersion), [first_version(row)])


def first_version(row: dict[str, Any]) -> dict[str, Any]:
    """Version 1 of a pattern row, as pattern_versions keeps it."""
    return {
        "pattern_id": row["id"],
        "number": 1,
        "strudel_code": row["strudel_code"],
        "model": row.get("model"),
        "description": row.get("description", ""),
        "bpm": row["bpm"],
        "key": row["key"],
        "change": "created",
        "created_at": row["created_at"],
    }
