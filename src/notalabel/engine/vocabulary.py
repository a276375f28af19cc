"""Canonical ids shared by text understanding, pattern building and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

_E = TypeVar("_E", bound=StrEnum)


class Genre(StrEnum):
    """Canonical genre ids."""

    LOFI = "lo-fi"
    HIPHOP = "hip-hop"
    TRAP = "trap"
    DRILL = "drill"
    HOUSE = "house"
    TECHNO = "techno"
    AMBIENT = "ambient"
    DRUM_AND_BASS = "drum-and-bass"
    DUBSTEP = "dubstep"
    SYNTHWAVE = "synthwave"
    AFROBEATS = "afrobeats"
    REGGAETON = "reggaeton"
    JAZZ = "jazz"
    POP = "pop"


class Mood(StrEnum):
    """Canonical mood ids."""

    CHILL = "chill"
    DREAMY = "dreamy"
    STUDY = "study"
    AGGRESSIVE = "aggressive"
    MELODIC = "melodic"
    DARK = "dark"
    ENERGETIC = "energetic"
    UPBEAT = "upbeat"
    MYSTERIOUS = "mysterious"
    MELANCHOLIC = "melancholic"


class AdjustmentKind(StrEnum):
    """What a piece of feedback asks the pattern to change."""

    MORE_BASS = "more_bass"
    LESS_BASS = "less_bass"
    MORE_DREAMY = "more_dreamy"
    FASTER = "faster"
    SLOWER = "slower"
    SIMPLER = "simpler"
    MORE_COMPLEX = "more_complex"
    ADD_MELODY = "add_melody"
    DARKER = "darker"
    BRIGHTER = "brighter"
    MORE_ENERGY = "more_energy"
    LESS_ENERGY = "less_energy"
    DIFFERENT_STYLE = "different_style"


class CreationStyle(StrEnum):
    """How the artist likes to make music."""

    SOLO = "solo"
    COLLABORATIVE = "collaborative"
    EXPERIMENTAL = "experimental"


@dataclass(frozen=True, slots=True)
class MusicDNA:
    """What an artist's description tells us about their taste."""

    primary_genre: Genre | None = None
    sub_genres: tuple[Genre, ...] = ()
    preferred_mood: Mood | None = None
    moods: tuple[Mood, ...] = ()
    energy_level: int = 5
    complexity: int = 5
    keywords: tuple[str, ...] = ()
    creation_style: CreationStyle = CreationStyle.SOLO
    confidence_score: float = 0.0
    # True when no style was named and primary_genre is the one a listener would pick
    genre_inferred: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the camelCase JSON document the API and database use."""
        return {
            "primaryGenre": self.primary_genre.value if self.primary_genre else None,
            "subGenres": [g.value for g in self.sub_genres],
            "preferredMood": self.preferred_mood.value if self.preferred_mood else None,
            "moods": [m.value for m in self.moods],
            "energyLevel": self.energy_level,
            "complexity": self.complexity,
            "keywords": list(self.keywords),
            "creationStyle": self.creation_style.value,
            "confidenceScore": round(self.confidence_score, 3),
            "genreInferred": self.genre_inferred,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MusicDNA:
        """Rebuild DNA from its JSON document; unknown ids are dropped."""
        return cls(
            primary_genre=_maybe(Genre, data.get("primaryGenre")),
            sub_genres=tuple(
                g for g in (_maybe(Genre, x) for x in data.get("subGenres") or ()) if g
            ),
            preferred_mood=_maybe(Mood, data.get("preferredMood")),
            moods=tuple(m for m in (_maybe(Mood, x) for x in data.get("moods") or ()) if m),
            energy_level=_clamp(data.get("energyLevel", 5)),
            complexity=_clamp(data.get("complexity", 5)),
            keywords=tuple(str(k) for k in data.get("keywords") or ()),
            creation_style=_maybe(CreationStyle, data.get("creationStyle")) or CreationStyle.SOLO,
            confidence_score=float(data.get("confidenceScore") or 0.0),
            genre_inferred=bool(data.get("genreInferred", False)),
        )


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One change asked for in feedback; different_style may name a target genre."""

    kind: AdjustmentKind
    target_genre: Genre | None = None


@dataclass(frozen=True, slots=True)
class Feedback:
    """The reading of one refinement answer: accept, or a list of adjustments."""

    accept: bool
    adjustments: tuple[Adjustment, ...] = field(default_factory=tuple)


def _maybe(enum: type[_E], value: object) -> _E | None:
    try:
        return enum(str(value)) if value is not None else None
    except ValueError:
        return None


def _clamp(value: object) -> int:
    if not isinstance(value, int | float | str):
        return 5
    try:
        number = int(value)
    except ValueError:
        return 5
    return max(1, min(10, number))


# Keywords the pattern builder turns into sound elements; text understanding emits these spellings.
SOUND_KEYWORDS: tuple[str, ...] = (
    "rain",
    "vinyl",
    "ocean",
    "wind",
    "piano",
    "rhodes",
    "guitar",
    "strings",
    "bells",
    "808",
    "synth",
    "flute",
    "sax",
    "choir",
)


# When no genre is given, the mood suggests one.
GENRE_FOR_MOOD: dict[Mood, Genre] = {
    Mood.CHILL: Genre.LOFI,
    Mood.DREAMY: Genre.AMBIENT,
    Mood.STUDY: Genre.LOFI,
    Mood.AGGRESSIVE: Genre.DRILL,
    Mood.MELODIC: Genre.POP,
    Mood.DARK: Genre.TRAP,
    Mood.ENERGETIC: Genre.HOUSE,
    Mood.UPBEAT: Genre.POP,
    Mood.MYSTERIOUS: Genre.AMBIENT,
    Mood.MELANCHOLIC: Genre.LOFI,
}
