"""Conversions between engine results, stored session documents and API bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from notalabel.db import utcnow
from notalabel.engine.pattern import GeneratedPattern
from notalabel.identity.conversation import PROMPTS, Step
from notalabel.identity.schemas import (
    FinalizeResponse,
    HistoryEntry,
    MusicDNAOut,
    PatternOut,
    SessionOut,
    SignaturePatternOut,
)
from notalabel.identity.store import SessionState
from notalabel.users.schemas import MeOut
from notalabel.users.service import SignedIn


def pattern_record(pattern: GeneratedPattern, step: Step, index: int) -> dict[str, Any]:
    """A generated pattern as the session stores it (with its model, for later refinement)."""
    return {
        "id": f"gp_{index + 1}",
        "step": step.value,
        **pattern_fields(pattern),
        "timestamp": utcnow().isoformat(),
    }


def pattern_fields(pattern: GeneratedPattern) -> dict[str, Any]:
    """What a stored pattern record says about the pattern itself (code, key, model, ...)."""
    return {
        "strudelCode": pattern.code,
        "description": pattern.description,
        "bpm": pattern.bpm,
        "key": pattern.key,
        "genre": pattern.genre.value,
        "mood": pattern.mood.value,
        "shareUrl": pattern.share_url,
        "model": pattern.model.to_json(),
    }


def pattern_out(record: dict[str, Any]) -> PatternOut:
    """A stored pattern record as the API shows it."""
    return PatternOut(
        id=record.get("id"),
        code=record["strudelCode"],
        description=record["description"],
        bpm=record["bpm"],
        key=record["key"],
        genre=record["genre"],
        mood=record["mood"],
        share_url=record["shareUrl"],
    )


def session_out(row: SessionState) -> SessionOut:
    """A session as the resume route shows it."""
    patterns = [pattern_out(p) for p in row.generated_patterns]
    return SessionOut(
        session_id=row.id,
        step=row.current_step,
        prompt=PROMPTS[Step(row.current_step)],
        completed=row.completed,
        created_at=row.created_at,
        expires_at=row.expires_at,
        music_dna=MusicDNAOut.model_validate(row.music_dna) if row.music_dna else None,
        artist_name=row.tentative_artist_name,
        last_pattern=patterns[-1] if patterns else None,
        responses=[
            HistoryEntry(
                step=r["step"],
                input=r["input"],
                timestamp=datetime.fromisoformat(r["timestamp"]),
                processed_data=r.get("processedData") or {},
            )
            for r in row.user_responses
        ],
        patterns=patterns,
    )


def account_outcome(me: MeOut, signed: SignedIn, signature: dict[str, Any]) -> FinalizeResponse:
    """The body returned when an onboarding creates an account."""
    return FinalizeResponse(
        user=me,
        token=signed.access_token,
        refresh_token=signed.refresh_token,
        expires_in=signed.expires_in,
        message="🎉 Welcome to the Not a Label community!",
        signature_pattern=SignaturePatternOut.model_validate(signature),
    )
