"""Short human descriptors of MusicDNA for messages like "This captures your chill, lo-fi vibe"."""

from __future__ import annotations

from notalabel.engine.language.genre_lexicon import PROFILES
from notalabel.engine.vocabulary import MusicDNA

MAX_DESCRIPTORS = 4
HIGH_ENERGY = 7
LOW_ENERGY = 3


def describe_vibe(dna: MusicDNA) -> list[str]:
    """Return 1-4 short descriptors: the main mood, the genre, then keywords or a second mood."""
    words: list[str] = []
    if dna.preferred_mood is not None:
        words.append(dna.preferred_mood.value)
    if dna.primary_genre is not None:
        words.append(PROFILES[dna.primary_genre].label)
    extras = list(dna.keywords[:2])
    second_moods = [m.value for m in dna.moods if m is not dna.preferred_mood]
    if second_moods:
        extras.insert(1, second_moods[0])
    for extra in extras:
        if len(words) >= MAX_DESCRIPTORS:
            break
        if extra not in words:
            words.append(extra)
    if not words:
        if dna.energy_level >= HIGH_ENERGY:
            words.append("high-energy")
        elif dna.energy_level <= LOW_ENERGY:
            words.append("laid-back")
        else:
            words.append("unique")
    return words
