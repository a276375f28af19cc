"""Keys, modes, chords and tempo arithmetic, all in scale degrees so a mode change re-voices."""

from __future__ import annotations

from collections.abc import Sequence

# Modes from darkest to brightest; darker/brighter walk along this line.
MODES: tuple[str, ...] = (
    "phrygian",
    "phrygian dominant",
    "harmonic minor",
    "minor",
    "dorian",
    "mixolydian",
    "major",
    "lydian",
)

ROOTS: tuple[str, ...] = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def shift_mode(mode: str, steps: int) -> str:
    """Move a mode `steps` places brighter (positive) or darker (negative), clamped."""
    index = MODES.index(mode) if mode in MODES else MODES.index("minor")
    return MODES[max(0, min(len(MODES) - 1, index + steps))]


def strudel_scale(root: str, octave: int, mode: str) -> str:
    """Strudel scale argument such as "F#2:dorian"; spaces become colons for mini-notation."""
    return f"{root}{octave}:{mode.replace(' ', ':')}"


def chord_base(degree: int) -> int:
    """Fold a progression degree so chords stay around the tonic (V and up drop an octave)."""
    return degree if degree <= 3 else degree - 7


def chord_tones(degree: int) -> tuple[int, int, int]:
    """Root, third and fifth of a degree in the folded register."""
    base = chord_base(degree)
    return (base, base + 2, base + 4)


def progression_cycle(progression: Sequence[int], bars_per_chord: int) -> list[int]:
    """Repeat each chord for `bars_per_chord` bars; one entry per bar."""
    return [degree for degree in progression for _ in range(bars_per_chord)]


def tempo(low: int, high: int, energy: int, jitter: int, shift: int) -> int:
    """Tempo inside the genre range by energy, nudged by seed jitter and refinement steps."""
    base = low + (high - low) * (energy - 1) / 9
    step = max(3, round((low + high) * 0.025))
    bpm = round(base) + jitter + shift * step
    # refinements may leave the genre range a little, never into silly territory
    floor = max(40, int(low * 0.75))
    ceiling = min(200, int(high * 1.25))
    return max(floor, min(ceiling, bpm))


# Semitones of each mode's seven degrees above its root (as Strudel's tonal scales spell them).
MODE_STEPS: dict[str, tuple[int, ...]] = {
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "phrygian dominant": (0, 1, 4, 5, 7, 8, 10),
    "harmonic minor": (0, 2, 3, 5, 7, 8, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "major": (0, 2, 4, 5, 7, 9, 11),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
}


def semitones(mode: str, degree: int) -> int:
    """Semitones from the scale root to a degree (negative degrees fall below the root)."""
    octave, step = divmod(degree, 7)
    return 12 * octave + MODE_STEPS[mode][step]


def midi(root: str, octave: int, mode: str, degree: int) -> int:
    """The MIDI note Strudel plays for `n(degree).scale("<root><octave>:<mode>")` (C4 = 60)."""
    return 12 * (octave + 1) + ROOTS.index(root) + semitones(mode, degree)
