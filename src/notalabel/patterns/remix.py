"""Remixing a pattern: hand-written code, or the engine working on the original's model.

The engine's three readings of a remix in words (pure, in `remix_with_engine`):
- variation: the feedback refines the original's stored model, exactly as a refinement would;
- mashup: the original keeps its genre, groove and refinements; the second source brings its
  mood (tone, mode, space) and its sound keywords (instruments, textures), and the energy and
  complexity meet halfway. The engine builds one arrangement from one set of settings, so this
  is a blend of settings, not a splice of layers (which would clash in key and tempo);
- extension: the engine renders one loop and has no sections, so an extension builds on the
  original by adding a part: the feedback, then a melodic line (or, when the melody is already
  at its fullest, more going on).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.engine import Connection, RowMapping

from notalabel.db import Database, utcnow
from notalabel.engine.language import analyze_feedback
from notalabel.engine.pattern import GeneratedPattern, PatternModel, refine_pattern
from notalabel.engine.pattern.model import MELODY_STEPS, Settings
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind, Mood
from notalabel.events import Event, MessageBus
from notalabel.identity.conversation import refinement_message
from notalabel.patterns.access import visible_pattern
from notalabel.patterns.events import PatternCreated, PatternRemixed
from notalabel.patterns.exceptions import (
    HIDDEN,
    FeedbackNotUnderstood,
    NotRefinable,
    PatternNotFound,
)
from notalabel.patterns.models import Pattern, new_pattern_id
from notalabel.patterns.remix_schemas import (
    MAX_TITLE,
    NotRemixable,
    RemixIn,
    RemixOut,
    RemixType,
    SameSource,
)
from notalabel.patterns.service import insert_pattern
from notalabel.patterns.views import pattern_out, read_with_creator

PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]
NOT_REMIXABLE = "The creator of this pattern doesn't allow remixes."
NOT_REFINABLE = (
    "This pattern was written by hand, so there is no model for the engine to remix; "
    "send your own code instead."
)
NOT_UNDERSTOOD = (
    "I didn't catch a change there. Try 'more bass', 'make it dreamy', 'faster', "
    "'darker' or 'try a different style'."
)


@dataclass(frozen=True, slots=True)
class EngineRemix:
    """What the engine made of a remix in words, and what it says it did."""

    pattern: GeneratedPattern
    message: str


def _adjustments(feedback: str, remix_type: RemixType) -> tuple[Adjustment, ...]:
    reading = analyze_feedback(feedback)
    # a mashup or an extension changes the pattern by itself, so "love it, just blend them"
    # is a fine answer there; a variation that asks for nothing would only copy the original
    if not reading.adjustments and (remix_type is RemixType.VARIATION or not reading.accept):
        raise FeedbackNotUnderstood(NOT_UNDERSTOOD)
    return reading.adjustments


def _blend(base: Settings, second: Settings | None, second_mood: Mood | None) -> Settings:
    """The original's settings with the second source's mood and sounds blended in."""
    if second is None:
        return replace(base, mood=second_mood or base.mood)
    return replace(
        base,
        mood=second.mood,
        energy=round((base.energy + second.energy) / 2),
        complexity=round((base.complexity + second.complexity) / 2),
        keywords=tuple(dict.fromkeys((*base.keywords, *second.keywords))),
        space=max(base.space, second.space),
        melody=max(base.melody, second.melody),
    )


def remix_with_engine(
    model: PatternModel,
    remix_type: RemixType,
    feedback: str,
    seed: int,
    second: RowMapping | None = None,
) -> EngineRemix:
    """Build the remix the words ask for on top of the original's model (pure)."""
    adjustments = _adjustments(feedback, remix_type)
    blended = ""
    if remix_type is RemixType.MASHUP and second is not None:
        model = replace(model, settings=_blend(model.settings, *_second_source(second)))
        mood = model.settings.mood.value
        blended = f"blended in the {mood} mood and sounds of '{second['title']}'"
    if remix_type is RemixType.EXTENSION:
        at_fullest = model.settings.melody >= MELODY_STEPS[1]
        extra = AdjustmentKind.MORE_COMPLEX if at_fullest else AdjustmentKind.ADD_MELODY
        adjustments = (*adjustments, Adjustment(extra))
    pattern = refine_pattern(model, adjustments, seed)
    if not adjustments:
        return EngineRemix(pattern, f"🎵 I {blended}. Now {pattern.bpm} bpm in {pattern.key}.")
    message = refinement_message(adjustments, pattern)
    if blended:
        message = message.replace("🎵 I ", f"🎵 I {blended}, then ", 1)
    return EngineRemix(pattern, message)


def _second_source(second: RowMapping) -> tuple[Settings | None, Mood | None]:
    """The second source's settings (None for hand-written code) and its mood."""
    try:
        settings = PatternModel.from_json(second["model"]).settings if second["model"] else None
        return settings, settings.mood if settings else Mood(second["mood"])
    except ValueError:
        # a model or mood the engine can't read leaves the mashup to the original alone
        return None, None


def _check_source(row: RowMapping | None) -> RowMapping:
    if row is None:
        raise PatternNotFound(HIDDEN)
    if not row["is_remixable"]:
        raise NotRemixable(NOT_REMIXABLE)
    return row


def _new_row(user_id: str, original: RowMapping, body: RemixIn) -> dict[str, Any]:
    now = utcnow()
    title = body.title or f"Remix of {original['title']}"[:MAX_TITLE]
    return {
        "id": new_pattern_id(),
        "creator_id": user_id,
        "title": title,
        "description": body.description or "",
        "strudel_code": body.code,
        "model": None,
        "bpm": original["bpm"],
        "key": original["key"],
        "genre": original["genre"],
        "mood": original["mood"],
        "tags": list(original["tags"] or []),
        "is_signature": False,
        "is_public": body.is_public,
        "is_remixable": body.is_remixable,
        "original_pattern_id": original["id"],
        "remix_type": body.remix_type.value,
        "ai_generated": False,
        "prompt": None,
        "difficulty": original["difficulty"],
        "time_signature": original["time_signature"],
        "created_at": now,
        "updated_at": now,
    }


def _with_engine(row: dict[str, Any], made: EngineRemix, feedback: str) -> None:
    pattern = made.pattern
    row.update(
        strudel_code=pattern.code,
        model=pattern.model.to_json(),
        bpm=pattern.bpm,
        key=pattern.key,
        genre=pattern.genre.value,
        mood=pattern.mood.value,
        description=row["description"] or pattern.description,
        ai_generated=True,
        prompt=feedback,
    )


@dataclass(frozen=True, slots=True)
class Made:
    """A stored remix and the creator of its original (for the event)."""

    remix: RemixOut
    original_creator_id: str


def make_remix(conn: Connection, user_id: str, pattern_id: str, body: RemixIn) -> Made:
    """Check the sources, build and store the remix, and count it on the original."""
    original = _check_source(visible_pattern(conn, pattern_id, user_id))
    second = None
    if body.second_pattern_id is not None:
        if body.second_pattern_id == original["id"]:
            raise SameSource("A mashup needs a second pattern other than the original.")
        second = _check_source(visible_pattern(conn, body.second_pattern_id, user_id))
    row = _new_row(user_id, original, body)
    message = None
    if body.feedback is not None:
        if original["model"] is None:
            raise NotRefinable(NOT_REFINABLE)
        model = PatternModel.from_json(original["model"])
        # the remix count so far steers "a different style" to a new neighbour each time
        made = remix_with_engine(model, body.remix_type, body.feedback, original["remixes"], second)
        _with_engine(row, made, body.feedback)
        message = made.message
    # the row lock this takes makes a concurrent delete of the original wait for our commit
    counted = conn.execute(
        update(PATTERNS)
        .where(PATTERNS.c.id == original["id"])
        .values(remixes=PATTERNS.c.remixes + 1)
    )
    if counted.rowcount != 1:
        raise PatternNotFound(HIDDEN)
    insert_pattern(conn, row)
    stored = pattern_out(read_with_creator(conn, row["id"]))
    return Made(RemixOut(**dict(stored), message=message), original["creator_id"])


class RemixService:
    """Makes remixes in one transaction each and publishes what happened after it commits."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def remix(self, user_id: str, pattern_id: str, body: RemixIn) -> RemixOut:
        """Remix a pattern the caller can see and may remix."""

        def work(conn: Connection) -> tuple[RemixOut, list[Event]]:
            made = make_remix(conn, user_id, pattern_id, body)
            events = _remix_events(made, user_id, pattern_id, body)
            self._bus.stage(conn, events)
            return made.remix, events

        remix, events = await self._db.run(work)
        await self._bus.deliver(events)
        return remix


def _remix_events(made: Made, user_id: str, pattern_id: str, body: RemixIn) -> list[Event]:
    remix = made.remix
    return [
        PatternCreated(
            pattern_id=remix.id,
            creator_id=user_id,
            genre=remix.genre,
            mood=remix.mood,
            is_public=remix.is_public,
            ai_generated=remix.ai_generated,
            original_pattern_id=remix.original_pattern_id,
        ),
        PatternRemixed(
            remix_id=remix.id,
            original_id=pattern_id,
            original_creator_id=made.original_creator_id,
            remixer_id=user_id,
            remix_type=body.remix_type.value,
            second_source_id=body.second_pattern_id,
        ),
    ]
