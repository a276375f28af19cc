"""Bodies of the pattern library routes, with the metadata rules (tags, time signature, code)."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, StringConstraints, model_validator

from notalabel.engine.vocabulary import Genre, Mood
from notalabel.schemas import ApiModel, ApiOutput, SingleLine

MAX_CODE_BYTES = 20 * 1024
MAX_TAGS = 10
MAX_TAG_LENGTH = 32
_TIME_SIGNATURE = re.compile(r"(\d{1,2})/(\d{1,2})")
_DENOMINATORS = frozenset({2, 4, 8, 16})


def normalize_tag(raw: str) -> str:
    """NFKC, trimmed, lower-case, inner whitespace as '-'; 1 to 32 characters or ValueError."""
    tag = "-".join(unicodedata.normalize("NFKC", raw).lower().split())
    if not 1 <= len(tag) <= MAX_TAG_LENGTH:
        raise ValueError(f"each tag must be 1 to {MAX_TAG_LENGTH} characters: {raw!r}")
    return tag


def _tags(values: list[str]) -> list[str]:
    # normalised first, so "Lo Fi" and "lo-fi " are one tag
    return list(dict.fromkeys(normalize_tag(v) for v in values))


def _time_signature(value: str) -> str:
    match = _TIME_SIGNATURE.fullmatch(value)
    if match is None:
        raise ValueError("write it as beats/note, e.g. 4/4, 3/4, 6/8 or 7/8")
    beats, note = int(match[1]), int(match[2])
    if not 1 <= beats <= 32 or note not in _DENOMINATORS:
        raise ValueError("beats must be 1 to 32 and the note value 2, 4, 8 or 16")
    return f"{beats}/{note}"


def _code(value: str) -> str:
    if not value.strip():
        raise ValueError("the code must not be empty")
    if len(value.encode("utf-8")) > MAX_CODE_BYTES:
        raise ValueError(f"the code must be at most {MAX_CODE_BYTES} bytes (UTF-8)")
    return value


Trimmed = StringConstraints(strip_whitespace=True)
Title = Annotated[SingleLine, Trimmed, StringConstraints(min_length=1, max_length=120)]
Description = Annotated[str, Trimmed, StringConstraints(max_length=2000)]
Tags = Annotated[
    list[Annotated[SingleLine, StringConstraints(max_length=4 * MAX_TAG_LENGTH)]],
    Field(max_length=MAX_TAGS, description="At most 10; each NFKC, lower-case, spaces as '-'"),
    AfterValidator(_tags),
]
Difficulty = Annotated[int, Field(ge=1, le=10)]
TimeSignature = Annotated[
    SingleLine,
    StringConstraints(max_length=8),
    AfterValidator(_time_signature),
    Field(description="beats/note, note one of 2, 4, 8, 16: 4/4, 3/4, 6/8, 7/8"),
]
Code = Annotated[
    str,
    StringConstraints(max_length=MAX_CODE_BYTES),
    AfterValidator(_code),
    Field(description="Strudel code, at most 20,480 bytes of UTF-8; stored, never run"),
]
Bpm = Annotated[int, Field(ge=20, le=300)]
Key = Annotated[SingleLine, Trimmed, StringConstraints(min_length=1, max_length=32)]
Level = Annotated[int, Field(ge=1, le=10)]


class DNAIn(ApiModel):
    """What the engine should aim for; any field may be left out."""

    primary_genre: Genre | None = None
    preferred_mood: Mood | None = None
    energy_level: Level | None = None
    complexity: Level | None = None


class PatternCreate(ApiModel):
    """A new pattern: from the engine (description and/or musicDNA) or by hand (code)."""

    description: Description | None = None
    music_dna: DNAIn | None = None
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    code: Code | None = None
    bpm: Bpm | None = None
    key: Key | None = None
    title: Title | None = None
    genre: Genre | None = None
    mood: Mood | None = None
    tags: Tags = Field(default_factory=list)
    difficulty: Difficulty = 5
    time_signature: TimeSignature = "4/4"
    is_public: StrictBool = True
    is_remixable: StrictBool = True

    @model_validator(mode="after")
    def _one_kind(self) -> PatternCreate:
        if self.code is not None:
            if self.music_dna is not None or self.seed is not None:
                raise ValueError("hand-written code takes no musicDNA or seed")
            if self.genre is None or self.mood is None:
                raise ValueError("hand-written code needs its genre and mood")
        elif not self.description and self.music_dna is None:
            raise ValueError("give a description or musicDNA for the engine, or code")
        elif self.bpm is not None or self.key is not None:
            raise ValueError("the engine sets bpm and key; refine in words to change them")
        return self


class PatternUpdate(ApiModel):
    """Fields to change; the ones left out (or null) stay as they are."""

    title: Title | None = None
    description: Description | None = None
    tags: Tags | None = None
    difficulty: Difficulty | None = None
    time_signature: TimeSignature | None = None
    is_public: StrictBool | None = None
    is_remixable: StrictBool | None = None
    genre: Genre | None = Field(default=None, description="Hand-written patterns only")
    mood: Mood | None = Field(default=None, description="Hand-written patterns only")
    bpm: Bpm | None = Field(default=None, description="Hand-written patterns only")
    key: Key | None = Field(default=None, description="Hand-written patterns only")
    code: Code | None = Field(default=None, description="Hand-written patterns only; a new version")


class Creator(ApiOutput):
    """Who made a pattern."""

    id: str
    artist_name: str


class PatternOut(ApiOutput):
    """A pattern with its metadata, counters and strudel.cc link."""

    id: str
    creator: Creator
    title: str
    description: str
    code: str
    bpm: int
    key: str | None
    genre: str
    mood: str
    tags: list[str]
    difficulty: int
    time_signature: str
    is_public: bool
    is_remixable: bool
    is_signature: bool
    ai_generated: bool
    refinable: bool = Field(description="True when the engine model is kept (refine works)")
    prompt: str | None
    version: int
    likes: int
    plays: int
    shares: int
    comments: int
    remixes: int
    share_url: str
    original_pattern_id: str | None
    remix_type: str | None
    created_at: datetime
    updated_at: datetime


class PatternPage(ApiOutput):
    """One page of patterns, newest first; pass `nextCursor` back for the next."""

    items: list[PatternOut]
    next_cursor: str | None


class RefineRequest(ApiModel):
    """What to change, in words: "more bass, a bit faster"."""

    feedback: Annotated[str, Trimmed, StringConstraints(min_length=1, max_length=500)]


class Refined(ApiOutput):
    """The refined pattern and what the engine changed, in words."""

    pattern: PatternOut
    message: str


class VersionOut(ApiOutput):
    """One kept state of a pattern."""

    number: int
    code: str
    description: str
    bpm: int
    key: str | None
    change: str = Field(description='"created", the refinement\'s words, "edited", "restored N"')
    current: bool
    share_url: str
    created_at: datetime


class VersionPage(ApiOutput):
    """Versions, newest first."""

    items: list[VersionOut]
    next_cursor: str | None


class SignatureRequest(ApiModel):
    """Which of the caller's public patterns becomes their signature."""

    pattern_id: Annotated[SingleLine, StringConstraints(max_length=40)]
