"""Reading patterns with their creator, and showing them as the API does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.engine import Connection, RowMapping

from notalabel.engine.pattern import share_url
from notalabel.patterns.access import visible_to
from notalabel.patterns.exceptions import HIDDEN, NotCreator, PatternNotFound
from notalabel.patterns.models import Pattern, PatternVersion
from notalabel.patterns.schemas import Creator, PatternOut
from notalabel.users.models import User
from notalabel.users.signature import lock_signature

PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]
VERSIONS: Table = PatternVersion.__table__  # type: ignore[assignment]
USERS: Table = User.__table__  # type: ignore[assignment]
NOT_YOURS = "Only the pattern's creator can change it."

WITH_CREATOR = select(PATTERNS, USERS.c.artist_name.label("creator_name")).join(
    USERS, USERS.c.id == PATTERNS.c.creator_id
)
_BY_ID = PATTERNS.c.id == bindparam("pattern_id")
_VISIBLE_TO_VIEWER = WITH_CREATOR.where(_BY_ID, visible_to(bindparam("viewer")))
_VISIBLE_TO_ANYONE = WITH_CREATOR.where(_BY_ID, visible_to(None))
_LOCK = select(PATTERNS).where(_BY_ID).with_for_update()
_READ = WITH_CREATOR.where(_BY_ID)


def read_visible(conn: Connection, pattern_id: str, viewer_id: str | None) -> RowMapping:
    """The pattern and its creator's name if `viewer_id` may see it, else PatternNotFound."""
    if viewer_id is None:
        row = conn.execute(_VISIBLE_TO_ANYONE, {"pattern_id": pattern_id}).mappings().first()
    else:
        params = {"pattern_id": pattern_id, "viewer": viewer_id}
        row = conn.execute(_VISIBLE_TO_VIEWER, params).mappings().first()
    if row is None:
        raise PatternNotFound(HIDDEN)
    return row


def lock_own(conn: Connection, pattern_id: str, viewer_id: str) -> RowMapping:
    """The caller's own pattern, locked for a change: 404 if hidden, 403 if someone else's."""
    if read_visible(conn, pattern_id, viewer_id)["creator_id"] != viewer_id:
        raise NotCreator(NOT_YOURS)
    # the account row first, always: a change to the signature rewrites it, and one lock order
    # for every writer of an artist's patterns (PUT /signature too) cannot deadlock
    lock_signature(conn, viewer_id)
    # read again under the row lock: a concurrent change may have committed meanwhile
    return conn.execute(_LOCK, {"pattern_id": pattern_id}).mappings().one()


def read_with_creator(conn: Connection, pattern_id: str) -> RowMapping:
    """The pattern and its creator's name, as it is now in this transaction."""
    return conn.execute(_READ, {"pattern_id": pattern_id}).mappings().one()


def pattern_out(row: RowMapping | dict[str, Any]) -> PatternOut:
    """A `WITH_CREATOR` row as the API shows it."""
    return PatternOut(
        id=row["id"],
        creator=Creator(id=row["creator_id"], artist_name=row["creator_name"]),
        title=row["title"],
        description=row["description"],
        code=row["strudel_code"],
        bpm=row["bpm"],
        key=row["key"] or None,
        genre=row["genre"],
        mood=row["mood"],
        tags=list(row["tags"] or []),
        difficulty=row["difficulty"],
        time_signature=row["time_signature"],
        is_public=row["is_public"],
        is_remixable=row["is_remixable"],
        is_signature=row["is_signature"],
        ai_generated=row["ai_generated"],
        refinable=row["model"] is not None,
        prompt=row["prompt"],
        version=row["version"],
        likes=row["likes"],
        plays=row["plays"],
        shares=row["shares"],
        comments=row["comments"],
        remixes=row["remixes"],
        share_url=share_url(row["strudel_code"]),
        original_pattern_id=row["original_pattern_id"],
        remix_type=row["remix_type"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def signature_document(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    """The signature as the account keeps it (the shape onboarding stores)."""
    return {
        "id": row["id"],
        "strudelCode": row["strudel_code"],
        "description": row["description"],
        "bpm": row["bpm"],
        "key": row["key"],
        "mood": row["mood"],
        "genre": row["genre"],
        "shareUrl": share_url(row["strudel_code"]),
        "createdAt": row["created_at"].isoformat(),
    }


def titles_of(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The titles of those among `ids` that still exist (for other features' listings)."""
    if not ids:
        return {}
    query = select(PATTERNS.c.id, PATTERNS.c.title).where(PATTERNS.c.id.in_(sorted(set(ids))))
    return {row.id: row.title for row in conn.execute(query)}
