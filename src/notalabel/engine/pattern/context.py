"""What one build decides up front (progression, tempo, tone) and every part reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar
from zlib import crc32

from notalabel.engine.pattern.genres import Recipe
from notalabel.engine.pattern.kits import Kit
from notalabel.engine.pattern.model import Settings

_T = TypeVar("_T")

# Raw oscillators are far louder than sampled instruments at the same gain.
SYNTHS = frozenset({"sawtooth", "square", "triangle", "sine", "supersaw"})


@dataclass(frozen=True, slots=True)
class Tone:
    """Colour shared by every pitched layer of one build (mood plus refinements)."""

    cutoff: float
    room: float
    delay: float
    gain: float
    register: int
    drive: float


@dataclass(frozen=True, slots=True)
class Context:
    """The shared decisions of one build."""

    settings: Settings
    recipe: Recipe
    kit: Kit
    roots: tuple[int, ...]  # progression degree for every bar
    bpm: int
    tone: Tone
    busy: int  # energy as the drums feel it, after the mood's density
    key_root: str
    mode: str

    def stream(self, part: str) -> Random:
        """The random stream of one part (kick, bass, voicing, ...), the same for every build.

        Each part draws from its own stream, so a refinement that changes how many draws
        one part takes (complexity adds fills, energy adds hat rolls) never reshuffles another.
        """
        return part_stream(self.settings, part)


def part_stream(settings: Settings, part: str) -> Random:
    """A seeded stream for `part` of the pattern that `settings` describe."""
    # odd 64-bit multipliers spread neighbouring seeds apart (MT's first draws correlate)
    mixed = (
        settings.seed * 0x9E3779B97F4A7C15
        + crc32(settings.genre.value.encode()) * 0xBF58476D1CE4E5B9
        + crc32(part.encode()) * 0x94D049BB133111EB
    ) & 0xFFFFFFFFFFFFFFFF
    # musical variation, not security: a seeded PRNG is exactly what is wanted
    return Random(mixed)  # noqa: S311


def choose(rng: Random, options: Sequence[_T]) -> _T:
    """rng.choice without its rejection-sampling loop; this sits on the hot path."""
    return options[int(rng.random() * len(options))]


def clamp(value: float, low: float, high: float) -> float:
    """Limit a number to [low, high]."""
    return max(low, min(high, value))


def level(sound: str, gain: float) -> float:
    """Gain for a sound, tamed for raw oscillators and capped below clipping."""
    return round(min(0.95, gain * (0.6 if sound in SYNTHS else 1.0)), 2)
