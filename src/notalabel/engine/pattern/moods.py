"""How each mood shapes the music: mode, filter, space, density, level and register."""

from __future__ import annotations

from dataclasses import dataclass

from notalabel.engine.vocabulary import Mood


@dataclass(frozen=True, slots=True)
class MoodProfile:
    """Musical parameters one mood pushes the pattern towards."""

    mode: str
    cutoff: float  # multiplier on every genre cutoff
    room: float
    delay: float
    density: float  # multiplier on melody and percussion density
    gain: float  # velocity multiplier
    register: int  # octave shift for chords and melody
    pad: bool  # wants a sustained pad even at low complexity
    drive: float  # waveshaping on bass and leads; 0 = clean


MOODS: dict[Mood, MoodProfile] = {
    Mood.CHILL: MoodProfile("dorian", 0.8, 0.35, 0.15, 0.85, 0.9, 0, False, 0.0),
    Mood.DREAMY: MoodProfile("lydian", 0.6, 0.7, 0.35, 0.7, 0.85, 1, True, 0.0),
    Mood.STUDY: MoodProfile("major", 0.7, 0.3, 0.1, 0.65, 0.85, 0, False, 0.0),
    Mood.AGGRESSIVE: MoodProfile("phrygian", 1.35, 0.15, 0.05, 1.2, 1.05, -1, False, 0.35),
    Mood.MELODIC: MoodProfile("minor", 1.0, 0.4, 0.25, 1.1, 0.95, 1, False, 0.0),
    Mood.DARK: MoodProfile("harmonic minor", 0.55, 0.45, 0.2, 0.9, 0.95, -1, True, 0.15),
    Mood.ENERGETIC: MoodProfile("dorian", 1.25, 0.2, 0.15, 1.2, 1.0, 0, False, 0.1),
    Mood.UPBEAT: MoodProfile("major", 1.15, 0.25, 0.15, 1.1, 1.0, 1, False, 0.0),
    Mood.MYSTERIOUS: MoodProfile("phrygian dominant", 0.7, 0.55, 0.35, 0.8, 0.9, 0, True, 0.0),
    Mood.MELANCHOLIC: MoodProfile("minor", 0.7, 0.5, 0.3, 0.8, 0.9, 0, True, 0.0),
}
