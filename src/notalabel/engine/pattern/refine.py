"""Refinements: each adjustment moves the settings one bounded step, then the model is rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from notalabel.engine.pattern.genres import NEIGHBOURS
from notalabel.engine.pattern.model import (
    BASS_STEPS,
    BRIGHTNESS_STEPS,
    MELODY_STEPS,
    SPACE_STEPS,
    TEMPO_STEPS,
    Settings,
)
from notalabel.engine.vocabulary import Adjustment, AdjustmentKind


def _step(value: int, delta: int, low: int, high: int) -> int:
    return max(low, min(high, value + delta))


_SIMPLE: dict[AdjustmentKind, Callable[[Settings], Settings]] = {
    AdjustmentKind.MORE_BASS: lambda s: replace(s, bass=_step(s.bass, 1, *BASS_STEPS)),
    AdjustmentKind.LESS_BASS: lambda s: replace(s, bass=_step(s.bass, -1, *BASS_STEPS)),
    AdjustmentKind.MORE_DREAMY: lambda s: replace(s, space=_step(s.space, 1, *SPACE_STEPS)),
    AdjustmentKind.FASTER: lambda s: replace(s, tempo_shift=_step(s.tempo_shift, 1, *TEMPO_STEPS)),
    AdjustmentKind.SLOWER: lambda s: replace(s, tempo_shift=_step(s.tempo_shift, -1, *TEMPO_STEPS)),
    AdjustmentKind.SIMPLER: lambda s: replace(s, complexity=_step(s.complexity, -2, 1, 10)),
    AdjustmentKind.MORE_COMPLEX: lambda s: replace(s, complexity=_step(s.complexity, 2, 1, 10)),
    AdjustmentKind.ADD_MELODY: lambda s: replace(s, melody=_step(s.melody, 1, *MELODY_STEPS)),
    AdjustmentKind.DARKER: lambda s: replace(
        s, brightness=_step(s.brightness, -1, *BRIGHTNESS_STEPS)
    ),
    AdjustmentKind.BRIGHTER: lambda s: replace(
        s, brightness=_step(s.brightness, 1, *BRIGHTNESS_STEPS)
    ),
    AdjustmentKind.MORE_ENERGY: lambda s: replace(s, energy=_step(s.energy, 2, 1, 10)),
    AdjustmentKind.LESS_ENERGY: lambda s: replace(s, energy=_step(s.energy, -2, 1, 10)),
}


def _different_style(settings: Settings, adjustment: Adjustment, choice: int) -> Settings:
    target = adjustment.target_genre
    if target is not None and target != settings.genre:
        return replace(settings, genre=target, tempo_shift=0)
    if target is not None:
        # already in the asked-for genre: a fresh variation of it is the useful answer
        return replace(settings, seed=settings.seed + 1)
    neighbours = NEIGHBOURS[settings.genre]
    return replace(settings, genre=neighbours[choice % len(neighbours)], tempo_shift=0)


def apply_adjustments(settings: Settings, adjustments: Sequence[Adjustment], seed: int) -> Settings:
    """Fold adjustments into settings in order; `seed` only steers the choice of a new style."""
    for index, adjustment in enumerate(adjustments):
        if adjustment.kind is AdjustmentKind.DIFFERENT_STYLE:
            settings = _different_style(settings, adjustment, abs(seed + settings.seed) + index)
        else:
            settings = _SIMPLE[adjustment.kind](settings)
    return settings
