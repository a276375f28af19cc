"""Artist-name rules and suggestion candidates (pure, no I/O)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MIN_NAME_LENGTH = 2
MAX_NAME_LENGTH = 32
_ALLOWED_PUNCTUATION = frozenset(" -_.")
_RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "nala",
        "system",
        "support",
        "root",
        "moderator",
        "mod",
        "staff",
        "official",
        "notalabel",
        "api",
        "help",
        "null",
        "undefined",
        "anonymous",
        "me",
    }
)
_GENRE_WORDS = {
    "lo-fi": "LoFi",
    "hip-hop": "HipHop",
    "trap": "Trap",
    "drill": "Drill",
    "house": "House",
    "techno": "Techno",
    "ambient": "Ambient",
    "drum-and-bass": "DnB",
    "dubstep": "Dub",
    "synthwave": "Wave",
    "afrobeats": "Afro",
    "reggaeton": "Perreo",
    "jazz": "Jazz",
    "pop": "Pop",
}
_MOOD_WORDS = {
    "chill": "Chill",
    "dreamy": "Dream",
    "study": "Focus",
    "aggressive": "Rage",
    "melodic": "Melody",
    "dark": "Shadow",
    "energetic": "Volt",
    "upbeat": "Bright",
    "mysterious": "Mystic",
    "melancholic": "Blue",
}


@dataclass(frozen=True, slots=True)
class NameProblem:
    """Why a name cannot be used, in words an artist understands."""

    code: str
    message: str


def clean_name(raw: str) -> str:
    """Trim and collapse inner white space."""
    return re.sub(r"\s+", " ", raw).strip()


def name_key(name: str) -> str:
    """The case-insensitive identity of a name, as the unique index stores it."""
    return clean_name(name).casefold()


def name_problem(name: str) -> NameProblem | None:
    """Return why `name` is not a valid artist name, or None when it is."""
    if not MIN_NAME_LENGTH <= len(name) <= MAX_NAME_LENGTH:
        return NameProblem(
            "invalid_length",
            f"Artist names are {MIN_NAME_LENGTH} to {MAX_NAME_LENGTH} characters long.",
        )
    if not all(ch.isalnum() or ch in _ALLOWED_PUNCTUATION for ch in name):
        return NameProblem(
            "invalid_characters",
            "Use letters, digits, spaces, '-', '_' or '.' in your artist name.",
        )
    if not name[0].isalnum():
        return NameProblem("invalid_start", "Start your artist name with a letter or a digit.")
    if _compact(name) in _RESERVED:
        return NameProblem("reserved", f'"{name}" is reserved. Pick a name that is yours.')
    return None


def suggestion_candidates(
    name: str, genre: str | None, mood: str | None, limit: int = 24
) -> list[str]:
    """Valid names in the spirit of `name` and the DNA, best first, without duplicates."""
    seen: set[str] = {name_key(name)}
    result: list[str] = []
    for candidate in _raw_candidates(name, genre, mood):
        cleaned = clean_name(candidate)
        key = name_key(cleaned)
        if key in seen or name_problem(cleaned) is not None:
            continue
        seen.add(key)
        result.append(cleaned)
        if len(result) >= limit:
            break
    return result


def _raw_candidates(name: str, genre: str | None, mood: str | None) -> Iterator[str]:
    base = _trim_base(name)
    genre_word = _GENRE_WORDS.get(genre or "", "Beats")
    mood_word = _MOOD_WORDS.get(mood or "", "Nova")
    # stable per name, so a retry shows the same offers
    salt = zlib.crc32(name.encode()) % 90 + 10
    yield f"{base} {genre_word}"
    yield f"{mood_word} {base}"
    yield f"{base}.{genre_word.lower()}"
    yield f"{base}_{mood_word.lower()}"
    yield f"{base}{salt}"
    yield f"The Real {base}"
    yield f"{base} Sound"
    for number in range(2, 100):
        yield f"{base}{number}"


def _trim_base(name: str) -> str:
    # leave room for the longest suffix we add
    return clean_name(name)[: MAX_NAME_LENGTH - 9].rstrip(" -_.") or "Artist"


def _compact(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())
