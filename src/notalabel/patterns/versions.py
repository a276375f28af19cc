"""Refining a pattern in words, its versions, restoring one, and the versions in the export."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import Database, utcnow
from notalabel.engine.pattern import PatternModel, share_url
from notalabel.errors import InvalidInput
from notalabel.events import Event, MessageBus
from notalabel.identity.conversation import refine
from notalabel.patterns.events import PatternRefined
from notalabel.patterns.exceptions import FeedbackNotUnderstood, NotRefinable, VersionNotFound
from notalabel.patterns.schemas import Refined, VersionOut, VersionPage
from notalabel.patterns.signature import refresh_signature
from notalabel.patterns.views import (
    PATTERNS,
    VERSIONS,
    lock_own,
    pattern_out,
    read_visible,
    read_with_creator,
)

HAND_WRITTEN = (
    "This pattern was written by hand, so there is no model to refine; edit its code instead."
)
NOTHING_TO_CHANGE = (
    "Glad you like it! Nothing changed: say what to change, e.g. 'more bass' or 'a bit faster'."
)
_BY_NUMBER = select(VERSIONS).where(
    VERSIONS.c.pattern_id == bindparam("pattern_id"), VERSIONS.c.number == bindparam("number")
)


def encode_version_cursor(number: int) -> str:
    """The opaque cursor after version `number`."""
    return base64.urlsafe_b64encode(f"v{number}".encode()).decode().rstrip("=")


def decode_version_cursor(value: str) -> int:
    """The version number a cursor stopped at, or InvalidInput."""
    try:
        raw = base64.urlsafe_b64decode((value + "=" * (-len(value) % 4)).encode("ascii"))
        text = raw.decode()
        if not text.startswith("v") or not text[1:].isdigit() or len(text) > 11:
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise InvalidInput("That cursor is not valid; start again from the first page.") from exc


def _new_version(conn: Connection, row: RowMapping, values: dict[str, Any], change: str) -> int:
    """Store the next version of `row` with `values` and make the pattern show it."""
    number = int(row["version"]) + 1
    now = utcnow()
    conn.execute(
        insert(VERSIONS),
        [
            {
                "pattern_id": row["id"],
                "number": number,
                "strudel_code": values["strudel_code"],
                "model": values["model"],
                "description": values["description"],
                "bpm": values["bpm"],
                "key": values["key"],
                "change": change,
                "created_at": now,
            }
        ],
    )
    shown = {k: v for k, v in values.items() if k != "description"}
    conn.execute(
        update(PATTERNS)
        .where(PATTERNS.c.id == row["id"])
        .values(**shown, version=number, updated_at=now)
    )
    if row["is_signature"]:
        refresh_signature(conn, row["creator_id"], row["id"])
    return number


def refine_work(
    conn: Connection, user_id: str, pattern_id: str, feedback: str
) -> tuple[Refined, int]:
    """Refine the stored model with the words; a new version, or an error and nothing stored."""
    row = lock_own(conn, pattern_id, user_id)
    if row["model"] is None:
        raise NotRefinable(HAND_WRITTEN)
    model = PatternModel.from_json(row["model"])
    result = refine(model, feedback, model.settings.seed + int(row["version"]))
    if result.accepted:
        raise FeedbackNotUnderstood(NOTHING_TO_CHANGE)
    made = result.pattern
    if made is None:
        raise FeedbackNotUnderstood(result.message)
    values = {
        "strudel_code": made.code,
        "model": made.model.to_json(),
        "description": made.description,
        "bpm": made.bpm,
        "key": made.key,
        "genre": made.genre.value,
        "mood": made.mood.value,
    }
    number = _new_version(conn, row, values, feedback)
    return Refined(
        pattern=pattern_out(read_with_creator(conn, pattern_id)), message=result.message
    ), number


def restore_work(conn: Connection, user_id: str, pattern_id: str, number: int) -> Refined:
    """Make a new version that copies version `number`; history is never rewritten."""
    row = lock_own(conn, pattern_id, user_id)
    old = conn.execute(_BY_NUMBER, {"pattern_id": pattern_id, "number": number}).mappings().first()
    if old is None:
        raise VersionNotFound(f"This pattern has no version {number}.")
    values: dict[str, Any] = {
        k: old[k] for k in ("strudel_code", "model", "description", "bpm", "key")
    }
    if old["model"] is not None:
        settings = PatternModel.from_json(old["model"]).settings
        values |= {"genre": settings.genre.value, "mood": settings.mood.value}
    new_number = _new_version(conn, row, values, f"restored {number}")
    message = f"Version {new_number} is a copy of version {number}."
    return Refined(pattern=pattern_out(read_with_creator(conn, pattern_id)), message=message)


def version_page(
    conn: Connection, pattern_id: str, viewer_id: str | None, limit: int, cursor: str | None
) -> VersionPage:
    """The versions of a pattern the viewer may see, newest first."""
    current = read_visible(conn, pattern_id, viewer_id)["version"]
    query = select(VERSIONS).where(VERSIONS.c.pattern_id == pattern_id)
    if cursor is not None:
        query = query.where(VERSIONS.c.number < decode_version_cursor(cursor))
    query = query.order_by(VERSIONS.c.number.desc()).limit(limit + 1)
    rows = conn.execute(query).mappings().all()
    items = [
        VersionOut(
            number=r["number"],
            code=r["strudel_code"],
            description=r["description"],
            bpm=r["bpm"],
            key=r["key"] or None,
            change=r["change"],
            current=r["number"] == current,
            share_url=share_url(r["strudel_code"]),
            created_at=r["created_at"],
        )
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    return VersionPage(
        items=items, next_cursor=encode_version_cursor(items[-1].number) if more else None
    )


async def versions_for_export(tx: AsyncSession, user_id: str) -> list[dict[str, Any]]:
    """Every version of the user's patterns (the `patterns` section holds the rows)."""
    versions: Table = VERSIONS
    query = (
        select(versions)
        .join(PATTERNS, PATTERNS.c.id == versions.c.pattern_id)
        .where(PATTERNS.c.creator_id == user_id)
        .order_by(versions.c.pattern_id, versions.c.number)
    )
    rows = (await tx.execute(query)).mappings().all()
    return [
        {
            "patternId": r["pattern_id"],
            "number": r["number"],
            "strudelCode": r["strudel_code"],
            "model": r["model"],
            "description": r["description"],
            "bpm": r["bpm"],
            "key": r["key"],
            "change": r["change"],
            "createdAt": r["created_at"].isoformat(),
        }
        for r in rows
    ]


class PatternVersions:
    """Refinements, the version list and restores, each one transaction."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def refine(self, user_id: str, pattern_id: str, feedback: str) -> Refined:
        """Refine the caller's engine pattern in words."""

        def work(conn: Connection) -> tuple[Refined, list[Event]]:
            refined, number = refine_work(conn, user_id, pattern_id, feedback)
            events: list[Event] = [
                PatternRefined(
                    pattern_id=pattern_id, creator_id=user_id, version=number, feedback=feedback
                )
            ]
            self._bus.stage(conn, events)
            return refined, events

        refined, events = await self._db.run(work)
        await self._bus.deliver(events)
        return refined

    async def restore(self, user_id: str, pattern_id: str, number: int) -> Refined:
        """Show version `number` again, as a new version."""
        return await self._db.run(lambda conn: restore_work(conn, user_id, pattern_id, number))

    async def page(
        self, pattern_id: str, viewer_id: str | None, limit: int, cursor: str | None
    ) -> VersionPage:
        """A page of a visible pattern's versions."""
        return await self._db.read(
            lambda conn: version_page(conn, pattern_id, viewer_id, limit, cursor)
        )
