"""Chord voicings: a shape per chord of the progression, kept above the bass and free of b9s."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from random import Random

from notalabel.engine.pattern.context import choose
from notalabel.engine.pattern.theory import chord_base, midi

# Degrees above the chord root: 2 third, 4 fifth, 6 seventh, 7 octave, 8 ninth, 9 tenth, 11 twelfth.
# Each family holds voicings a player would use for that chord size: close position,
# inversions, open spreads and (for sevenths and ninths) rootless shapes over the bass.
SHAPES: dict[int, tuple[tuple[int, ...], ...]] = {
    3: ((0, 2, 4), (2, 4, 7), (4, 7, 9), (0, 4, 9), (0, 2, 4, 7)),
    4: ((0, 2, 4, 6), (0, 4, 6, 9), (2, 4, 6, 8), (4, 6, 9, 11), (0, 6, 9, 11)),
    5: ((0, 2, 4, 6, 8), (0, 4, 6, 8, 9), (2, 4, 6, 8, 11), (0, 6, 8, 9, 11)),
}
# Bb2: below it a chord turns to mud in any mix
CHORD_FLOOR = 46


def _soften(degrees: list[int], root: str, octave: int, mode: str) -> list[int]:
    # leave out the notes a semitone over the lowest one (in a phrygian i chord, its 9th):
    # the rest of the shape still voices the chord
    notes = [midi(root, octave, mode, d) for d in degrees]
    lowest = min(notes)
    return [d for d, n in zip(degrees, notes, strict=True) if (n - lowest) % 12 != 1]


@lru_cache(maxsize=16384)
def voicings(
    root: str, octave: int, mode: str, degree: int, *, size: int, floor: int
) -> tuple[str, ...]:
    """Every usable voicing of one chord as mini-notation, lifted an octave while under `floor`."""
    base = chord_base(degree)
    usable: list[str] = []
    for shape in SHAPES[min(5, max(3, size))]:
        degrees = [base + step for step in shape]
        if min(degrees) > base + 3:
            # an inversion starting high comes down an octave, to sit where the chord sits
            degrees = [d - 7 for d in degrees]
        while midi(root, octave, mode, min(degrees)) < floor:
            degrees = [d + 7 for d in degrees]
        degrees = _soften(degrees, root, octave, mode)
        written = "[" + ",".join(map(str, degrees)) + "]"
        if len(degrees) >= 3 and written not in usable:
            usable.append(written)
    if not usable:
        # every shape rubs: a root-position triad has no semitone over its root in any mode
        return voicings(root, octave, mode, degree, size=3, floor=floor)[:1]
    return tuple(usable)


def voice_progression(
    progression: Sequence[int],
    voiced: dict[int, tuple[str, ...]],
    rng: Random,
) -> list[str]:
    """One voicing per chord of the progression, drawn from that chord's usable shapes."""
    # choose() takes one draw per chord whatever it picks, so nothing after this reshuffles
    return [choose(rng, voiced[degree]) for degree in progression]


def floor_over(bass_lowest: int) -> int:
    """The lowest note a chord may use over a bass whose lowest note is `bass_lowest`."""
    return max(CHORD_FLOOR, bass_lowest + 1)
