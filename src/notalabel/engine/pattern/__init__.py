"""Pattern engine: MusicDNA in, a playable Strudel pattern (model, code, share link) out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from notalabel.engine.pattern.build import build_model, settings_from_dna
from notalabel.engine.pattern.describe import describe
from notalabel.engine.pattern.fingerprint import fingerprint
from notalabel.engine.pattern.model import Effect, Layer, Lfo, PatternModel, Role, Settings
from notalabel.engine.pattern.refine import apply_adjustments
from notalabel.engine.pattern.render import render_code
from notalabel.engine.pattern.share import share_url
from notalabel.engine.vocabulary import Adjustment, Genre, Mood, MusicDNA

__all__ = [
    "Effect",
    "GeneratedPattern",
    "Layer",
    "Lfo",
    "PatternModel",
    "Role",
    "Settings",
    "fingerprint",
    "generate_pattern",
    "refine_pattern",
    "regenerate",
    "render_code",
    "share_url",
]


@dataclass(frozen=True, slots=True)
class GeneratedPattern:
    """A built pattern: the model to store and refine, and everything shown to the user."""

    model: PatternModel
    code: str
    description: str
    bpm: int
    key: str
    genre: Genre
    mood: Mood
    share_url: str

    def to_json(self) -> dict[str, Any]:
        """The API document: code, description, bpm, key, genre, mood and shareUrl."""
        return {
            "code": self.code,
            "description": self.description,
            "bpm": self.bpm,
            "key": self.key,
            "genre": self.genre.value,
            "mood": self.mood.value,
            "shareUrl": self.share_url,
        }


def _finish(model: PatternModel) -> GeneratedPattern:
    code = render_code(model)
    return GeneratedPattern(
        model=model,
        code=code,
        description=describe(model),
        bpm=model.bpm,
        key=model.key,
        genre=model.settings.genre,
        mood=model.settings.mood,
        share_url=share_url(code),
    )


def generate_pattern(dna: MusicDNA, seed: int = 0) -> GeneratedPattern:
    """Build a pattern for the DNA; the same DNA and seed always give the same code."""
    return _finish(build_model(settings_from_dna(dna, seed)))


def refine_pattern(
    model: PatternModel, adjustments: Sequence[Adjustment], seed: int = 0
) -> GeneratedPattern:
    """Apply adjustments on top of a model's settings and rebuild; changes accumulate."""
    return _finish(build_model(apply_adjustments(model.settings, adjustments, seed)))


def regenerate(model: PatternModel, seed: int) -> GeneratedPattern:
    """The same genre, mood, settings and refinements arranged again from another seed."""
    return _finish(build_model(replace(model.settings, seed=seed)))
