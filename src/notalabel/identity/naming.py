"""Artist-name rules and suggestion candidates (pure, no I/O).

A name is stored NFKC-normalised; its identity (`name_key`) is the case-folded UTS #39
confusable skeleton, so "Dreamy", "DREAMY", its fullwidth form and "Dreamy" spelt with a Cyrillic
"a" are one name.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from notalabel.identity.skeleton import COMMON, INHERITED, script, skeleton

MIN_NAME_LENGTH = 2
MAX_NAME_LENGTH = 32
# a normalised name character has a skeleton of at most 7 code points (checked in the tests)
MAX_KEY_LENGTH = 256
_ALLOWED_PUNCTUATION = frozenset(" -_.")
# Default_Ignorable_Code_Point (DerivedCoreProperties.txt): invisible, so a name of them (or
# padded with them) looks empty or like another name; the Hangul fillers are letters in Unicode
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# scripts that are written together (UTS #39 augmented script sets Jpan, Kore, Hanb)
_WRITTEN_TOGETHER = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)
_RESERVED_WORDS = (
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
    """NFKC-normalise, trim and collapse runs of spaces: the form a name is stored in."""
    return re.sub(" {2,}", " ", unicodedata.normalize("NFKC", raw)).strip(" ")


def name_key(name: str) -> str:
    """The identity of a name for the unique indexes: case-folded confusable skeleton."""
    # folded before and after: prototypes may be capitals (0 -> O) and "ICE" must equal "ice"
    return skeleton(clean_name(name).casefold()).casefold()


def name_problem(name: str) -> NameProblem | None:
    """Return why `name` (as clean_name left it) is not a valid artist name, or None."""
    if not MIN_NAME_LENGTH <= len(name) <= MAX_NAME_LENGTH:
        size = f"{len(name)} character{'s' if len(name) != 1 else ''}"
        return NameProblem(
            "invalid_length",
            f'"{name}" is {size} long; artist names are {MIN_NAME_LENGTH} to '
            f"{MAX_NAME_LENGTH} characters long.",
        )
    if any(_is_invisible(ch) for ch in name):
        return NameProblem(
            "invisible_characters", "Your artist name contains invisible characters."
        )
    if not all(_is_name_character(ch) for ch in name):
        return NameProblem(
            "invalid_characters",
            "Use letters, digits, spaces, '-', '_' or '.' in your artist name.",
        )
    if not _is_letter_or_digit(name[0]):
        return NameProblem("invalid_start", "Start your artist name with a letter or a digit.")
    if not any(unicodedata.category(ch).startswith("L") for ch in name):
        return NameProblem("no_letters", "Your artist name needs at least one letter.")
    if not _single_script(name):
        return NameProblem(
            "mixed_scripts",
            "Write your artist name in one alphabet; mixing e.g. Latin and Cyrillic letters "
            "is not allowed.",
        )
    if _reserved_form(name_key(name)) in _reserved_keys():
        return NameProblem("reserved", f'"{name}" is reserved. Pick a name that is yours.')
    return None


def suggestion_candidates(
    name: str, genre: str | None, mood: str | None, limit: int = 24
) -> list[str]:
    """Valid names in the spirit of the artist's DNA, best first, without duplicates.

    They are offered when `name` is taken or reserved, so none is built on it: a suggestion
    made from someone else's name ("The Real DreamyBeats") or from "admin" would pass for
    them. `name` only picks which words come first (a retry shows the same offers).
    """
    taken_word = _compact(name_key(name))
    seen: set[str] = {name_key(name)}
    result: list[str] = []
    for candidate in _raw_candidates(name, genre, mood):
        cleaned = clean_name(candidate)
        key = name_key(cleaned)
        if key in seen or name_problem(cleaned) is not None:
            continue
        if taken_word and taken_word in _compact(key):
            continue  # the name itself, or a reserved word, among the DNA's words
        seen.add(key)
        result.append(cleaned)
        if len(result) >= limit:
            break
    return result


# images a listener might put on a record sleeve: the suggestions' own words
_IMAGES = (
    "Echo", "Drift", "Signal", "Bloom", "Tide", "Orbit", "Ember", "Haze", "Pulse", "Vapor",
    "Lantern", "Harbor", "Comet", "Meadow", "Static", "Mirage", "Cinder", "Atlas", "Velvet",
    "Prism", "Moth", "Quartz", "Canyon", "Aurora",
)  # fmt: skip


def _raw_candidates(name: str, genre: str | None, mood: str | None) -> Iterator[str]:
    genre_word = _GENRE_WORDS.get(genre or "", "Beats")
    mood_word = _MOOD_WORDS.get(mood or "", "Nova")
    # stable per wanted name, so a retry shows the same offers
    salt = zlib.crc32(name.encode())
    count = len(_IMAGES)
    first_index = salt % count
    first = _IMAGES[first_index]
    second = _IMAGES[(first_index + 1 + (salt // count) % (count - 1)) % count]
    number = salt % 90 + 10
    yield f"{mood_word} {first}"
    yield f"{first} {genre_word}"
    yield f"{second}.{genre_word.lower()}"
    yield f"{mood_word} {second}"
    yield f"{first}_{mood_word.lower()}{number}"
    yield f"{second} {genre_word} {number}"
    for image in _IMAGES:
        yield f"{mood_word} {image} {genre_word}"
    for image in _IMAGES:
        yield f"{image} {genre_word}"
    for suffix in range(2, 100):
        yield f"{first} {genre_word} {suffix}"


def _compact(key: str) -> str:
    return "".join(ch for ch in key if ch.isalnum())


def _reserved_form(key: str) -> str:
    # the skeleton keeps "i" apart from "l" (whose class holds "1" and "I"); for the few reserved
    # words a stricter match costs nothing and catches "Adm1n"
    return _compact(key).replace("i", "l")


@cache
def _reserved_keys() -> frozenset[str]:
    # matched on the skeleton: fullwidth or bold "ADMIN", "Adm1n" and "a.d.m.i.n" are caught
    return frozenset(_reserved_form(name_key(word)) for word in _RESERVED_WORDS)


def _is_invisible(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in _INVISIBLE_RANGES)


def _is_letter_or_digit(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith("L") or category == "Nd"


def _is_name_character(char: str) -> bool:
    # combining marks carry the accents NFKC cannot compose (Devanagari vowel signs, ...)
    return (
        _is_letter_or_digit(char)
        or unicodedata.category(char).startswith("M")
        or char in _ALLOWED_PUNCTUATION
    )


def _single_script(name: str) -> bool:
    scripts = {script(ch) for ch in name} - {COMMON, INHERITED}
    return len(scripts) <= 1 or any(scripts <= together for together in _WRITTEN_TOGETHER)
