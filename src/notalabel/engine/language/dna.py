"""Free-text description -> MusicDNA."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeVar

from notalabel.engine.language.cues import (
    DESCRIPTION_TABLE,
    Control,
    Cue,
    correct_description_tokens,
)
from notalabel.engine.language.genre_lexicon import HINT_LIMIT, PROFILES
from notalabel.engine.language.keywords import SOUND_KEYWORD_SET
from notalabel.engine.language.normalize import tokenize
from notalabel.engine.vocabulary import GENRE_FOR_MOOD, CreationStyle, Genre, Mood, MusicDNA

_K = TypeVar("_K")

MAX_KEYWORDS = 8
# How far (in tokens) a "not" or "mostly" reaches forward.
NEGATION_REACH = 4
MODIFIER_REACH = 3
# Weight of the genre's own mood when the artist named no mood: enough to fill the gap, never to
# outvote a mood the artist did name.
DEFAULT_MOOD_WEIGHT = 0.3


@dataclass(slots=True)
class _Tally:
    genres: dict[Genre, float] = field(default_factory=dict)
    genre_hints: dict[Genre, float] = field(default_factory=dict)
    moods: dict[Mood, float] = field(default_factory=dict)
    styles: dict[CreationStyle, float] = field(default_factory=dict)
    keywords: dict[str, None] = field(default_factory=dict)
    uses: dict[Genre, float] = field(default_factory=dict)
    energy: float = 0.0
    complexity: float = 0.0
    signals: int = 0


def _add(scores: dict[_K, float], key: _K, weight: float) -> None:
    # Insertion order doubles as first-mention order, which breaks ties.
    scores[key] = scores.get(key, 0.0) + weight


def _tally(tokens: list[str]) -> _Tally:
    tally = _Tally()
    negated_until = -1
    genre_factor, genre_factor_until = 1.0, -1
    boost, boost_until = 1.0, -1
    last_genre: tuple[int, Cue, float] | None = None  # where the last genre cue ended
    for match in DESCRIPTION_TABLE.scan(tokens):
        cue: Cue = match.value
        control = cue.control
        if control is Control.QUALIFIES:
            if last_genre is not None and last_genre[0] == match.start:
                _demote(tally, last_genre[1], last_genre[2])
            continue
        if control is Control.BREAK:
            negated_until = genre_factor_until = boost_until = -1
            continue
        if control is Control.NEGATE:
            negated_until = match.end + NEGATION_REACH
            continue
        if control is Control.NEUTRAL:
            negated_until = -1
            continue
        if control is Control.STRONGER:
            genre_factor, genre_factor_until = 1.5, match.end + MODIFIER_REACH
            continue
        if control is Control.WEAKER:
            genre_factor, genre_factor_until = 0.5, match.end + MODIFIER_REACH
            continue
        if control is Control.INTENSIFY:
            boost, boost_until = 1.5, match.end + 1
            continue
        if match.start < negated_until:
            continue
        scale = boost if match.start <= boost_until else 1.0
        factor = genre_factor if match.start < genre_factor_until else 1.0
        _apply(tally, cue, scale, factor)
        if cue.genres:
            last_genre = (match.end, cue, factor)
    return tally


# a qualified genre ("jazz-leaning", "techno-inspired") keeps this share of its vote
QUALIFIED_SHARE = 0.4


def _demote(tally: _Tally, cue: Cue, factor: float) -> None:
    for genre, weight in cue.genres:
        scores = tally.genres if weight >= HINT_LIMIT else tally.genre_hints
        scores[genre] -= weight * factor * (1 - QUALIFIED_SHARE)


def _apply(tally: _Tally, cue: Cue, scale: float, genre_factor: float) -> None:
    tally.signals += 1
    for genre, weight in cue.genres:
        if weight >= HINT_LIMIT:
            _add(tally.genres, genre, weight * genre_factor)
        else:
            _add(tally.genre_hints, genre, weight * genre_factor)
    for mood, weight in cue.moods:
        _add(tally.moods, mood, weight * scale)
    for style, weight in cue.styles:
        _add(tally.styles, style, weight)
    for keyword in cue.keywords:
        tally.keywords[keyword] = None
    for genre in cue.uses:
        _add(tally.uses, genre, 1.0)
    tally.energy += cue.energy * scale
    tally.complexity += cue.complexity * scale


def _ranked(scores: dict[_K, float]) -> list[_K]:
    order = {key: index for index, key in enumerate(scores)}
    return sorted(scores, key=lambda key: (-scores[key], order[key]))


def _ranked_genres(tally: _Tally) -> list[Genre]:
    # Named genres first (by votes, then first mention); hinted-only genres after them.
    named = _ranked(tally.genres)
    hinted = [g for g in _ranked(tally.genre_hints) if g not in tally.genres]
    return named + hinted


def _genre_score(tally: _Tally, genre: Genre | None) -> float:
    if genre is None:
        return 0.0
    return tally.genres.get(genre, 0.0) or tally.genre_hints.get(genre, 0.0)


def _damped(total: float, reach: float = 4.0) -> float:
    # Ten calm words should not push energy ten steps: the effect saturates at +-reach.
    return reach * math.tanh(total / reach)


def _clamp(value: float) -> int:
    return max(1, min(10, round(value)))


def _keywords(found: dict[str, None]) -> tuple[str, ...]:
    sounds = [k for k in found if k in SOUND_KEYWORD_SET]
    scenes = [k for k in found if k not in SOUND_KEYWORD_SET]
    return tuple((sounds + scenes)[:MAX_KEYWORDS])


def _confidence(tally: _Tally, genre_score: float, named_mood: bool, corrected: int) -> float:
    if genre_score <= 0:
        score = 0.1 + (0.15 if named_mood else 0.0) + (0.05 if tally.keywords else 0.0)
        return round(min(score, 0.35), 3)
    score = 0.45 + 0.2 * min(genre_score, 1.0)
    score += 0.15 if named_mood else 0.0
    score += 0.05 if tally.keywords else 0.0
    score += 0.05 if tally.signals >= 4 else 0.0
    score -= 0.04 * min(corrected, 3)
    return round(max(0.4, min(score, 0.95)), 3)


def analyze_description(text: str) -> MusicDNA:
    """Read an artist's free-text description of the music they love into MusicDNA."""
    raw = tokenize(text)
    tokens = correct_description_tokens(raw)
    corrected = sum(1 for a, b in zip(raw, tokens, strict=True) if a != b and a[:-1] != b)
    tally = _tally(tokens)

    genres = _ranked_genres(tally)
    named_mood = bool(tally.moods)
    moods_scores = dict(tally.moods)
    if genres:
        _add(moods_scores, PROFILES[genres[0]].mood, DEFAULT_MOOD_WEIGHT)
    moods = _ranked(moods_scores)
    # no style named: the genre a listener would pick for the use or the mood, marked inferred
    inferred = None if genres else _inferred_genre(tally, moods)
    primary = genres[0] if genres else inferred

    base_energy = PROFILES[primary].energy if primary else 5.0
    base_complexity = PROFILES[primary].complexity if primary else 5.0
    styles = _ranked(tally.styles)
    return MusicDNA(
        primary_genre=primary,
        sub_genres=tuple(genres[1:]),
        preferred_mood=moods[0] if moods else None,
        moods=tuple(moods),
        energy_level=_clamp(base_energy + _damped(tally.energy)),
        complexity=_clamp(base_complexity + _damped(tally.complexity, 3.0)),
        keywords=_keywords(tally.keywords),
        creation_style=styles[0] if styles else CreationStyle.SOLO,
        confidence_score=_confidence(tally, _genre_score(tally, primary), named_mood, corrected),
        genre_inferred=inferred is not None,
    )


def _inferred_genre(tally: _Tally, moods: list[Mood]) -> Genre | None:
    if tally.uses:
        return _ranked(tally.uses)[0]
    return GENRE_FOR_MOOD[moods[0]] if moods else None
