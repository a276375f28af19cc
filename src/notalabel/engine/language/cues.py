"""The compiled phrase table for descriptions: every phrase maps to one merged Cue."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from notalabel.engine.language import genre_lexicon as gl
from notalabel.engine.language import mood_lexicon as ml
from notalabel.engine.language.keywords import KEYWORD_TERMS
from notalabel.engine.language.normalize import BREAK_TOKENS, Corrector
from notalabel.engine.language.phrases import PhraseTable, merge_entries
from notalabel.engine.language.uses import USE_TERMS
from notalabel.engine.vocabulary import CreationStyle, Genre, Mood


class Control(Enum):
    """Words that steer how the following cues count rather than carrying meaning."""

    NONE = 0
    NEGATE = 1
    NEUTRAL = 2
    STRONGER = 3
    WEAKER = 4
    INTENSIFY = 5
    BREAK = 6
    QUALIFIES = 7  # "jazz-leaning": the genre just before it is a colour, not the style


@dataclass(frozen=True, slots=True)
class Cue:
    """Everything one phrase says about genre, mood, energy, complexity, keywords and style."""

    genres: tuple[tuple[Genre, float], ...] = ()
    moods: tuple[tuple[Mood, float], ...] = ()
    energy: float = 0.0
    complexity: float = 0.0
    keywords: tuple[str, ...] = ()
    styles: tuple[tuple[CreationStyle, float], ...] = ()
    uses: tuple[Genre, ...] = ()  # the genre a listener would pick for this use of music
    control: Control = Control.NONE


def _merge(parts: list[Cue]) -> Cue:
    if len(parts) == 1:
        return parts[0]
    control = next((p.control for p in parts if p.control is not Control.NONE), Control.NONE)
    return Cue(
        genres=tuple(g for p in parts for g in p.genres),
        moods=tuple(m for p in parts for m in p.moods),
        energy=sum(p.energy for p in parts),
        complexity=sum(p.complexity for p in parts),
        keywords=tuple(dict.fromkeys(k for p in parts for k in p.keywords)),
        styles=tuple(s for p in parts for s in p.styles),
        uses=tuple(u for p in parts for u in p.uses),
        control=control,
    )


def _entries() -> Iterator[tuple[str, Cue]]:
    for genre, phrase in gl.GENRE_NAMES:
        yield phrase, Cue(genres=((genre, 1.0),))
    for phrase, genre, weight in gl.GENRE_BLENDS + gl.GENRE_HINTS:
        yield phrase, Cue(genres=((genre, weight),))
    for phrase, mood, weight in gl.GENRE_MOODS:
        yield phrase, Cue(moods=((mood, weight),))
    for genre, phrase in gl.GENRE_ADJECTIVES:
        yield phrase, Cue(genres=((genre, 0.5),))
    for phrases, moods, given_energy, complexity in ml.MOOD_TERMS:
        energy = given_energy
        if energy is None:
            energy = sum(ml.MOOD_ENERGY[mood] * weight for mood, weight in moods)
        for phrase in phrases.split("|"):
            yield phrase, Cue(moods=moods, energy=energy, complexity=complexity)
    for phrase, keyword in KEYWORD_TERMS:
        yield phrase, Cue(keywords=(keyword,))
    for phrase, style, weight in ml.STYLE_TERMS:
        yield phrase, Cue(styles=((style, weight),))
    for genre, phrases in USE_TERMS:
        for phrase in phrases.split("|"):
            yield phrase, Cue(uses=(genre,))
    for control, phrases in (
        (Control.NEGATE, ml.NEGATORS),
        (Control.NEUTRAL, ml.NEUTRAL),
        (Control.STRONGER, ml.STRONGER),
        (Control.WEAKER, ml.WEAKER),
        (Control.INTENSIFY, ml.INTENSIFIERS),
        (Control.QUALIFIES, ml.QUALIFIERS),
        (Control.BREAK, "but|although|though|however|except|whereas|" + "|".join(BREAK_TOKENS)),
    ):
        for phrase in phrases.split("|"):
            yield phrase, Cue(control=control)


def _build() -> tuple[PhraseTable[Cue], Corrector]:
    merged = merge_entries(_entries())
    table = PhraseTable((phrase, _merge(parts)) for phrase, parts in merged.items())
    # Never "correct" into a control word: "hats" must not become "hate" and negate the sentence.
    content = PhraseTable((p, c) for p, c in table.entries() if c.control is Control.NONE)
    return table, Corrector(content.words, content.single_words, content.pairs)


DESCRIPTION_TABLE, correct_description_tokens = _build()
