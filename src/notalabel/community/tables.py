"""The two lookup tables of matching: how moods go together, and how genres fuse."""

from __future__ import annotations

from notalabel.engine.vocabulary import Genre, Mood

UNLISTED_MOODS = 0.5
"""Mood compatibility of a pair the seed's matrix does not list, or with a missing mood."""

# The seed's matrix, read as unordered pairs: it never gives one pair two values, and a match
# must score the same from either side (the seed's own lookup only read its first mood's row,
# so "study" then "chill" got 0.5 but "chill" then "study" 0.9). Its dreamy/ambient entry is
# left out: "ambient" is a genre here, never a mood.
_SEED_MOOD_PAIRS: dict[tuple[Mood, Mood], float] = {
    (Mood.CHILL, Mood.DREAMY): 0.8,
    (Mood.CHILL, Mood.STUDY): 0.9,
    (Mood.CHILL, Mood.AGGRESSIVE): 0.1,
    (Mood.CHILL, Mood.DARK): 0.3,
    (Mood.DREAMY, Mood.AGGRESSIVE): 0.1,
    (Mood.DREAMY, Mood.STUDY): 0.7,
    (Mood.AGGRESSIVE, Mood.DARK): 0.7,
    (Mood.AGGRESSIVE, Mood.ENERGETIC): 0.8,
    (Mood.DARK, Mood.MYSTERIOUS): 0.8,
    (Mood.DARK, Mood.DREAMY): 0.4,
    (Mood.ENERGETIC, Mood.UPBEAT): 0.9,
    (Mood.ENERGETIC, Mood.CHILL): 0.2,
    (Mood.ENERGETIC, Mood.STUDY): 0.3,
}
_MOODS: dict[frozenset[Mood], float] = {frozenset(p): v for p, v in _SEED_MOOD_PAIRS.items()}


def mood_compatibility(a: Mood | None, b: Mood | None) -> float:
    """1.0 for the same mood, the seed's value for a pair it lists, else UNLISTED_MOODS."""
    if a is None or b is None:
        return UNLISTED_MOODS
    if a is b:
        return 1.0
    return _MOODS.get(frozenset((a, b)), UNLISTED_MOODS)


# How well two different genres fuse in a collaboration, 0 (they pull apart) to 1 (a known,
# fertile fusion). One row per genre, each pair once. The reasoning, roughly: shared roots or
# a shared tempo band score high (lo-fi/hip-hop/jazz share swung drums and extended chords;
# house/techno and afrobeats/reggaeton share their dance floor and tempo; drum-and-bass and
# dubstep share bass culture), a style known for borrowing from the other scores well (pop
# from almost everything, synthwave from ambient), and pairs that fight in tempo and intent
# score low (drill's sliding 808s and dark 140 BPM against ambient's beatless wash).
_SYNERGY_ROWS: dict[Genre, dict[Genre, float]] = {
    Genre.LOFI: {
        Genre.HIPHOP: 0.9, Genre.TRAP: 0.5, Genre.DRILL: 0.3, Genre.HOUSE: 0.6,
        Genre.TECHNO: 0.3, Genre.AMBIENT: 0.8, Genre.DRUM_AND_BASS: 0.4, Genre.DUBSTEP: 0.2,
        Genre.SYNTHWAVE: 0.7, Genre.AFROBEATS: 0.5, Genre.REGGAETON: 0.3, Genre.JAZZ: 0.9,
        Genre.POP: 0.6,
    },
    Genre.HIPHOP: {
        Genre.TRAP: 0.8, Genre.DRILL: 0.7, Genre.HOUSE: 0.5, Genre.TECHNO: 0.3,
        Genre.AMBIENT: 0.4, Genre.DRUM_AND_BASS: 0.6, Genre.DUBSTEP: 0.5, Genre.SYNTHWAVE: 0.5,
        Genre.AFROBEATS: 0.8, Genre.REGGAETON: 0.7, Genre.JAZZ: 0.9, Genre.POP: 0.8,
    },
    Genre.TRAP: {
        Genre.DRILL: 0.8, Genre.HOUSE: 0.4, Genre.TECHNO: 0.3, Genre.AMBIENT: 0.3,
        Genre.DRUM_AND_BASS: 0.5, Genre.DUBSTEP: 0.8, Genre.SYNTHWAVE: 0.5, Genre.AFROBEATS: 0.6,
        Genre.REGGAETON: 0.7, Genre.JAZZ: 0.4, Genre.POP: 0.7,
    },
    Genre.DRILL: {
        Genre.HOUSE: 0.2, Genre.TECHNO: 0.3, Genre.AMBIENT: 0.1, Genre.DRUM_AND_BASS: 0.6,
        Genre.DUBSTEP: 0.5, Genre.SYNTHWAVE: 0.3, Genre.AFROBEATS: 0.6, Genre.REGGAETON: 0.4,
        Genre.JAZZ: 0.3, Genre.POP: 0.4,
    },
    Genre.HOUSE: {
        Genre.TECHNO: 0.9, Genre.AMBIENT: 0.5, Genre.DRUM_AND_BASS: 0.6, Genre.DUBSTEP: 0.4,
        Genre.SYNTHWAVE: 0.7, Genre.AFROBEATS: 0.8, Genre.REGGAETON: 0.6, Genre.JAZZ: 0.7,
        Genre.POP: 0.8,
    },
    Genre.TECHNO: {
        Genre.AMBIENT: 0.7, Genre.DRUM_AND_BASS: 0.6, Genre.DUBSTEP: 0.5, Genre.SYNTHWAVE: 0.7,
        Genre.AFROBEATS: 0.4, Genre.REGGAETON: 0.3, Genre.JAZZ: 0.4, Genre.POP: 0.4,
    },
    Genre.AMBIENT: {
        Genre.DRUM_AND_BASS: 0.6, Genre.DUBSTEP: 0.3, Genre.SYNTHWAVE: 0.8, Genre.AFROBEATS: 0.3,
        Genre.REGGAETON: 0.1, Genre.JAZZ: 0.6, Genre.POP: 0.4,
    },
    Genre.DRUM_AND_BASS: {
        Genre.DUBSTEP: 0.8, Genre.SYNTHWAVE: 0.5, Genre.AFROBEATS: 0.5, Genre.REGGAETON: 0.3,
        Genre.JAZZ: 0.7, Genre.POP: 0.5,
    },
    Genre.DUBSTEP: {
        Genre.SYNTHWAVE: 0.5, Genre.AFROBEATS: 0.3, Genre.REGGAETON: 0.4, Genre.JAZZ: 0.2,
        Genre.POP: 0.5,
    },
    Genre.SYNTHWAVE: {Genre.AFROBEATS: 0.3, Genre.REGGAETON: 0.3, Genre.JAZZ: 0.4, Genre.POP: 0.8},
    Genre.AFROBEATS: {Genre.REGGAETON: 0.9, Genre.JAZZ: 0.7, Genre.POP: 0.8},
    Genre.REGGAETON: {Genre.JAZZ: 0.3, Genre.POP: 0.8},
    Genre.JAZZ: {Genre.POP: 0.6},
}  # fmt: skip
_SYNERGY: dict[frozenset[Genre], float] = {
    frozenset((a, b)): value for a, row in _SYNERGY_ROWS.items() for b, value in row.items()
}


def genre_synergy(a: Genre | None, b: Genre | None) -> float:
    """How well two different genres fuse (0-1); 0 when either is missing or they are equal."""
    if a is None or b is None or a is b:
        return 0.0
    return _SYNERGY[frozenset((a, b))]
