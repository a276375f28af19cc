"""What one build decides up front (progression, tempo, tone) and every part reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random
from typing import TypeVar

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


def choose(rng: Random, options: Sequence[_T]) -> _T:
    """rng.choice without its rejection-sampling loop; this sits on the hot path."""
    return options[int(rng.random() * len(options))]


def clamp(value: float, low: float, high: float) -> float:
    """Limit a number to [low, high]."""
    return max(low, min(high, value))


def level(sound: str, gain: float) -> float:
    """Gain for a sound, tamed for raw oscillators and capped below clipping."""
    return round(min(0.95, gain * (0.6 if sound in SYNTHS else 1.0)), 2)
