"""What matching reads of an artist's music DNA, normalised once."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, TypeVar

from notalabel.engine.language.keywords import KEYWORD_TERMS
from notalabel.engine.vocabulary import Genre, Mood

MISSING_LEVEL = 5
"""A missing energy or complexity counts as the middle of the 1-10 scale (the seed's `|| 5`)."""

KEYWORDS: tuple[str, ...] = tuple(sorted({keyword for _, keyword in KEYWORD_TERMS}))
"""The engine's keyword vocabulary: the only keywords a description can give an artist."""
_KNOWN_KEYWORDS = frozenset(KEYWORDS)
_Id = TypeVar("_Id", Genre, Mood)


@dataclass(frozen=True, slots=True)
class MatchProfile:
    """The parts of music DNA the matcher compares."""

    genre: Genre | None = None
    sub_genres: frozenset[Genre] = frozenset()
    mood: Mood | None = None
    energy: int = MISSING_LEVEL
    complexity: int = MISSING_LEVEL
    keywords: frozenset[str] = frozenset()


def profile_of(dna: dict[str, Any] | None) -> MatchProfile:
    """The profile of a stored musicDNA document; unknown ids and keywords are left out."""
    if not dna:
        return MatchProfile()
    return MatchProfile(
        genre=_member(Genre, dna.get("primaryGenre")),
        sub_genres=frozenset(
            g for g in (_member(Genre, x) for x in _list(dna.get("subGenres"))) if g is not None
        ),
        mood=_member(Mood, dna.get("preferredMood")),
        energy=_level(dna.get("energyLevel")),
        complexity=_level(dna.get("complexity")),
        keywords=_keywords(dna.get("keywords")),
    )


def _keywords(value: object) -> frozenset[str]:
    return frozenset(k for k in (str(x).casefold() for x in _list(value)) if k in _KNOWN_KEYWORDS)


def _member(enum: type[_Id], value: object) -> _Id | None:
    if not isinstance(value, str):
        return None
    try:
        return enum(value)
    except ValueError:
        return None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list | tuple) else []


def _level(value: object) -> int:
    # stored levels are whole numbers 1-10; anything else counts as missing
    if isinstance(value, bool) or not isinstance(value, int | float):
        return MISSING_LEVEL
    if math.isnan(value) or not 1 <= value <= 10:
        return MISSING_LEVEL
    return round(value)
