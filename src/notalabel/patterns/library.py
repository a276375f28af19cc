"""Saving, reading, editing and deleting patterns, and listing a creator's library."""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any

import orjson
from sqlalchemy import and_, bindparam, delete, insert, or_, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import BindParameter

from notalabel.db import Database, utcnow
from notalabel.engine.language import analyze_description
from notalabel.engine.pattern import GeneratedPattern, generate_pattern
from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.errors import Unauthorized
from notalabel.events import Event, MessageBus
from notalabel.patterns.access import visible_to
from notalabel.patterns.events import PatternCreated
from notalabel.patterns.exceptions import EngineOwnedField, SignatureConflict
from notalabel.patterns.models import new_pattern_id
from notalabel.patterns.schemas import PatternCreate, PatternOut, PatternPage, PatternUpdate
from notalabel.patterns.service import insert_pattern
from notalabel.patterns.signature import Signatures, refresh_signature
from notalabel.patterns.versions import PatternVersions
from notalabel.patterns.views import (
    PATTERNS,
    VERSIONS,
    WITH_CREATOR,
    lock_own,
    pattern_out,
    read_visible,
    read_with_creator,
)
from notalabel.security import NO_TOKEN
from notalabel.social.cursor import decode_cursor, encode_cursor
from notalabel.social.service import either_blocked
from notalabel.users.exceptions import UserNotFound
from notalabel.users.service import read_user_by_ref

NO_ARTIST = "No artist with that id or name."
KEEP_SIGNATURE_PUBLIC = (
    "Your signature pattern is shown on your public profile, so it stays public; "
    "choose another signature first (PUT /api/users/me/signature)."
)
DELETE_SIGNATURE = (
    "This is your signature pattern: choose another signature first "
    "(PUT /api/users/me/signature), then delete this one."
)
_ENGINE_OWNED = ("code", "genre", "mood", "bpm", "key")
# what the signature document shows: a change to any of these rewrites it
_SIGNATURE_FIELDS = frozenset({"strudel_code", "description", "bpm", "key", "genre", "mood"})


def engine_pattern(body: PatternCreate) -> tuple[GeneratedPattern, int]:
    """What the engine makes of the description and DNA, and the seed it used."""
    dna = analyze_description(body.description) if body.description else MusicDNA()
    given = body.music_dna
    changes: dict[str, Any] = {}
    genre = body.genre or (given.primary_genre if given else None)
    mood = body.mood or (given.preferred_mood if given else None)
    if genre is not None:
        changes["primary_genre"] = genre
    if mood is not None:
        changes["preferred_mood"] = mood
    if given is not None and given.energy_level is not None:
        changes["energy_level"] = given.energy_level
    if given is not None and given.complexity is not None:
        changes["complexity"] = given.complexity
    dna = dataclasses.replace(dna, **changes)
    seed = body.seed
    if seed is None:
        # the same request makes the same pattern, as /api/generate-music does
        seed = zlib.crc32(orjson.dumps([body.description, dna.to_json()])) & 0x7FFFFFFF
    return generate_pattern(dna, seed), seed


def default_title(genre: str, mood: str) -> str:
    """ "Chill lo-fi": a title for a pattern the artist did not name."""
    return f"{mood.capitalize()} {genre}"


def default_bpm(genre: Genre) -> int:
    """The middle of the genre's usual tempo, for hand-written code without a bpm."""
    low, high = RECIPES[genre].tempo
    return (low + high) // 2


def new_row(creator_id: str, body: PatternCreate) -> dict[str, Any]:
    """The full `patterns` row a creation stores."""
    now = utcnow()
    row: dict[str, Any] = {"id": new_pattern_id(), "creator_id": creator_id}
    if body.code is not None:
        genre, mood = body.genre or Genre.LOFI, body.mood or Mood.CHILL
        row |= {
            "strudel_code": body.code,
            "model": None,
            "bpm": body.bpm or default_bpm(genre),
            "key": body.key or "",
            "genre": genre.value,
            "mood": mood.value,
            "description": body.description or "",
            "ai_generated": False,
            "prompt": None,
        }
    else:
        made, _ = engine_pattern(body)
        row |= {
            "strudel_code": made.code,
            "model": made.model.to_json(),
            "bpm": made.bpm,
            "key": made.key,
            "genre": made.genre.value,
            "mood": made.mood.value,
            "description": body.description or made.description,
            "ai_generated": True,
            "prompt": body.description or None,
        }
    counters = dict.fromkeys(("likes", "plays", "shares", "comments", "remixes"), 0)
    return (
        row
        | counters
        | {
            "title": body.title or default_title(row["genre"], row["mood"]),
            "tags": body.tags,
            "difficulty": body.difficulty,
            "time_signature": body.time_signature,
            "is_public": body.is_public,
            "is_remixable": body.is_remixable,
            "is_signature": False,
            "original_pattern_id": None,
            "remix_type": None,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
    )


def _changes(row: RowMapping, change: PatternUpdate) -> dict[str, Any]:
    sent = {k: v for k, v in change.model_dump(exclude_unset=True).items() if v is not None}
    if row["model"] is not None:
        owned = [f for f in _ENGINE_OWNED if f in sent]
        if owned:
            raise EngineOwnedField(
                f"{', '.join(owned)} of an engine pattern follow its model: refine it in words "
                "(POST /api/patterns/{id}/refine) or remix it to write the code by hand.",
                details=[{"field": f, "message": "engine patterns only"} for f in owned],
            )
    if row["is_signature"] and sent.get("is_public") is False:
        raise SignatureConflict(KEEP_SIGNATURE_PUBLIC)
    if "code" in sent:
        sent["strudel_code"] = sent.pop("code")
    return {k: v.value if isinstance(v, Genre | Mood) else v for k, v in sent.items()}


def update_pattern(conn: Connection, user_id: str, pattern_id: str, change: PatternUpdate) -> None:
    """Apply a metadata change; new code (hand-written only) makes a new version."""
    row = lock_own(conn, pattern_id, user_id)
    values = _changes(row, change)
    if values.get("strudel_code", row["strudel_code"]) != row["strudel_code"]:
        number = row["version"] + 1
        version = {
            "pattern_id": pattern_id,
            "number": number,
            "strudel_code": values["strudel_code"],
            "model": None,
            "description": values.get("description", row["description"]),
            "bpm": values.get("bpm", row["bpm"]),
            "key": values.get("key", row["key"]),
            "change": "edited",
            "created_at": utcnow(),
        }
        conn.execute(insert(VERSIONS), [version])
        values["version"] = number
    values["updated_at"] = utcnow()
    conn.execute(update(PATTERNS).where(PATTERNS.c.id == pattern_id).values(**values))
    if row["is_signature"] and _SIGNATURE_FIELDS & values.keys():
        refresh_signature(conn, user_id, pattern_id)


def delete_pattern(conn: Connection, user_id: str, pattern_id: str) -> None:
    """Delete the caller's pattern; its remixes keep playing, their link cleared (FK)."""
    row = lock_own(conn, pattern_id, user_id)
    if row["is_signature"]:
        raise SignatureConflict(DELETE_SIGNATURE)
    conn.execute(delete(PATTERNS).where(PATTERNS.c.id == pattern_id))
    if row["original_pattern_id"] is not None:
        # the original counts its remixes that exist
        conn.execute(
            update(PATTERNS)
            .where(PATTERNS.c.id == row["original_pattern_id"], PATTERNS.c.remixes > 0)
            .values(remixes=PATTERNS.c.remixes - 1)
        )


def creator_page(
    conn: Connection, ref: str, viewer_id: str | None, limit: int, cursor: str | None
) -> PatternPage:
    """A creator's patterns that the viewer may see, newest first; hidden artists are 404."""
    if ref == "me":
        if viewer_id is None:
            raise Unauthorized(NO_TOKEN)
        ref = viewer_id
    creator = read_user_by_ref(conn, ref)
    if creator is None or (
        viewer_id is not None
        and viewer_id != creator.id
        and either_blocked(conn, viewer_id, creator.id)
    ):
        raise UserNotFound(NO_ARTIST)
    viewer: BindParameter[str] | None = (
        None if viewer_id is None else bindparam("viewer", viewer_id)
    )
    query = WITH_CREATOR.where(PATTERNS.c.creator_id == creator.id, visible_to(viewer))
    if cursor is not None:
        after = decode_cursor(cursor)
        created, pid = PATTERNS.c.created_at, PATTERNS.c.id
        query = query.where(
            or_(created < after.created_at, and_(created == after.created_at, pid < after.user_id))
        )
    query = query.order_by(PATTERNS.c.created_at.desc(), PATTERNS.c.id.desc()).limit(limit + 1)
    rows = conn.execute(query).mappings().all()
    items = [pattern_out(r) for r in rows[:limit]]
    more = len(rows) > limit
    last = items[-1] if items else None
    next_cursor = encode_cursor(last.created_at, last.id) if more and last else None
    return PatternPage(items=items, next_cursor=next_cursor)


class PatternLibrary:
    """The pattern library's transactions; events are published after each commits."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus
        self.versions = PatternVersions(db, bus)
        self.signatures = Signatures(db, bus)

    async def create(self, user_id: str, body: PatternCreate) -> PatternOut:
        """Save a pattern from the engine or written by hand."""
        row = new_row(user_id, body)

        def work(conn: Connection) -> tuple[PatternOut, list[Event]]:
            insert_pattern(conn, row)
            created = pattern_out(read_with_creator(conn, row["id"]))
            events: list[Event] = [
                PatternCreated(
                    pattern_id=created.id,
                    creator_id=user_id,
                    genre=created.genre,
                    mood=created.mood,
                    is_public=created.is_public,
                    ai_generated=created.ai_generated,
                )
            ]
            self._bus.stage(conn, events)
            return created, events

        created, events = await self._db.run(work)
        await self._bus.deliver(events)
        return created

    async def get(self, pattern_id: str, viewer_id: str | None) -> PatternOut:
        """A pattern the viewer may see."""
        return pattern_out(await self._db.read(lambda c: read_visible(c, pattern_id, viewer_id)))

    async def update(self, user_id: str, pattern_id: str, change: PatternUpdate) -> PatternOut:
        """Change the caller's own pattern."""

        def work(conn: Connection) -> PatternOut:
            update_pattern(conn, user_id, pattern_id, change)
            return pattern_out(read_with_creator(conn, pattern_id))

        return await self._db.run(work)

    async def delete(self, user_id: str, pattern_id: str) -> None:
        """Delete the caller's own pattern (not the signature)."""
        await self._db.run(lambda conn: delete_pattern(conn, user_id, pattern_id))

    async def of_creator(
        self, ref: str, viewer_id: str | None, limit: int, cursor: str | None
    ) -> PatternPage:
        """A creator's library as the viewer may see it."""
        return await self._db.read(lambda c: creator_page(c, ref, viewer_id, limit, cursor))
