"""Saving patterns to the library."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import utcnow
from notalabel.patterns.models import Pattern, new_pattern_id
from notalabel.users.models import User


async def save_signature_pattern(
    tx: AsyncSession, user: User, record: dict[str, Any]
) -> dict[str, Any]:
    """Store an onboarding pattern as the user's first library pattern; return the signature."""
    now = utcnow()
    pattern = Pattern(
        id=new_pattern_id(),
        creator_id=user.id,
        title=f"{user.artist_name}'s signature",
        description=record["description"],
        strudel_code=record["strudelCode"],
        model=record.get("model"),
        bpm=record["bpm"],
        key=record["key"],
        genre=record["genre"],
        mood=record["mood"],
        tags=["signature", record["genre"], record["mood"]],
        is_signature=True,
        created_at=now,
        updated_at=now,
    )
    tx.add(pattern)
    return {
        "id": pattern.id,
        "strudelCode": pattern.strudel_code,
        "description": pattern.description,
        "bpm": pattern.bpm,
        "key": pattern.key,
        "mood": pattern.mood,
        "genre": pattern.genre,
        "shareUrl": record["shareUrl"],
        "createdAt": now.isoformat(),
    }
