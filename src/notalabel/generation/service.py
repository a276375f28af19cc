"""Turns a `/api/generate-music` request into a pattern (pure, no I/O)."""

from __future__ import annotations

import dataclasses
import zlib
from enum import StrEnum
from typing import TypeVar

from notalabel.engine.language import analyze_description
from notalabel.engine.pattern import generate_pattern
from notalabel.engine.vocabulary import Genre, Mood, MusicDNA
from notalabel.errors import InvalidInput
from notalabel.generation.schemas import (
    GeneratedMetadata,
    GenerateMusicRequest,
    GenerateMusicResponse,
    RequestedDNA,
)

_Id = TypeVar("_Id", bound=StrEnum)


class GenerationService:
    """Merges text, explicit DNA and context into one DNA, then builds the pattern."""

    def generate(self, request: GenerateMusicRequest) -> GenerateMusicResponse:
        """Generate one pattern; the same request always gives the same code."""
        if not request.user_input and request.music_dna is None:
            raise InvalidInput(
                "Describe the music in userInput or give a musicDNA.",
                details=[{"field": "userInput", "message": "userInput or musicDNA is required"}],
            )
        dna = self._merge(request)
        seed = request.seed if request.seed is not None else _stable_seed(request)
        pattern = generate_pattern(dna, seed)
        return GenerateMusicResponse(
            code=pattern.code,
            description=pattern.description,
            metadata=GeneratedMetadata(
                genre=pattern.genre.value,
                mood=pattern.mood.value,
                bpm=pattern.bpm,
                key=pattern.key,
                energy_level=dna.energy_level,
                complexity=dna.complexity,
                share_url=pattern.share_url,
                seed=seed,
                music_dna=dna.to_json(),
            ),
        )

    def _merge(self, request: GenerateMusicRequest) -> MusicDNA:
        # the listening context is read as more description, so explicit words still win
        context = request.context
        words = [request.user_input]
        if context is not None:
            words += [context.activity or "", context.time_of_day or ""]
        text = " ".join(w for w in words if w)
        dna = analyze_description(text) if text else MusicDNA()
        given = request.music_dna or RequestedDNA()
        changes: dict[str, object] = {}
        if given.primary_genre:
            changes["primary_genre"] = _genre(given.primary_genre)
        if given.preferred_mood:
            changes["preferred_mood"] = _mood(given.preferred_mood)
        if given.energy_level is not None:
            changes["energy_level"] = given.energy_level
        if given.complexity is not None:
            changes["complexity"] = given.complexity
        return dataclasses.replace(dna, **changes)  # type: ignore[arg-type]


def _genre(value: str) -> Genre:
    return _canonical(Genre, value, analyze_description(value).primary_genre, "primaryGenre")


def _mood(value: str) -> Mood:
    return _canonical(Mood, value, analyze_description(value).preferred_mood, "preferredMood")


def _canonical(kind: type[_Id], value: str, understood: _Id | None, field: str) -> _Id:
    """The canonical id itself, else what text understanding reads in it, else a 422."""
    try:
        return kind(value.lower())
    except ValueError:
        pass
    if understood is None:
        raise InvalidInput(
            f"Unknown {field.removeprefix('primary').removeprefix('preferred').lower()} {value!r}.",
            details=[
                {"field": f"musicDNA.{field}", "message": "one of: " + ", ".join(kind)},
            ],
        )
    return understood


def _stable_seed(request: GenerateMusicRequest) -> int:
    return zlib.crc32(request.model_dump_json().encode()) & 0x7FFFFFFF
