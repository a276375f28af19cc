"""The seed's CommunityMatcher formulas, written plainly: the reference the fast scorer must equal.

Every function here reads one pair of profiles at a time. `scoring.py` computes the same
numbers for a whole population at once; the tests hold the two to the same ranking and scores.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from notalabel.community.profile import MatchProfile
from notalabel.community.tables import genre_synergy, mood_compatibility

GENRE_WEIGHT = 0.3
SUB_GENRE_WEIGHT = 0.15  # the seed's weights.primaryGenre * 0.5
MOOD_WEIGHT = 0.25
ENERGY_WEIGHT = 0.2
KEYWORD_WEIGHT = 0.15
COMPLEXITY_WEIGHT = 0.1
LEVEL_SPAN = 9.0  # the widest gap on a 1-10 scale

FUSION_WEIGHT = 0.4
COMPLEXITY_GAP = (3, 6)  # a gap in this range (inclusive) is worth learning across
COMPLEXITY_GAP_BONUS = 0.3
CLOSE_ENERGY = 2
MOOD_CONTRAST_BONUS = 0.3
MIN_COLLABORATION = 0.4  # suggestions must score above this
MAX_COLLABORATIONS = 5


def jaccard(a: Collection[object], b: Collection[object]) -> float:
    """The Jaccard index: shared members over all members, and 0 when both are empty."""
    union = len(set(a) | set(b))
    if union == 0:
        return 0.0
    return len(set(a) & set(b)) / union


def closeness(a: int, b: int) -> float:
    """1 for equal levels, falling linearly to 0 for a gap of 9."""
    return max(0.0, 1.0 - abs(a - b) / LEVEL_SPAN)


def similarity(me: MatchProfile, other: MatchProfile) -> float:
    """How alike two artists' music is, 0-1 (the seed's weights, capped at 1)."""
    total = 0.0
    if me.genre is not None and me.genre is other.genre:
        total += GENRE_WEIGHT
    total += jaccard(me.sub_genres, other.sub_genres) * SUB_GENRE_WEIGHT
    total += mood_compatibility(me.mood, other.mood) * MOOD_WEIGHT
    total += closeness(me.energy, other.energy) * ENERGY_WEIGHT
    total += jaccard(me.keywords, other.keywords) * KEYWORD_WEIGHT
    total += closeness(me.complexity, other.complexity) * COMPLEXITY_WEIGHT
    return min(1.0, total)


class CollaborationType(StrEnum):
    """What a part of the collaboration potential is about."""

    GENRE_FUSION = "genre-fusion"
    SKILL_EXCHANGE = "skill-exchange"
    MOOD_CONTRAST = "mood-contrast"


def collaboration_parts(me: MatchProfile, other: MatchProfile) -> dict[CollaborationType, float]:
    """The seed's three parts of the potential that count, in its order of addition."""
    parts: dict[CollaborationType, float] = {}
    # different genres fuse by their synergy; the same genre (or a missing one) has none
    fusion = genre_synergy(me.genre, other.genre) * FUSION_WEIGHT
    if fusion > 0:
        parts[CollaborationType.GENRE_FUSION] = fusion
    low, high = COMPLEXITY_GAP
    if low <= abs(me.complexity - other.complexity) <= high:
        parts[CollaborationType.SKILL_EXCHANGE] = COMPLEXITY_GAP_BONUS
    if abs(me.energy - other.energy) <= CLOSE_ENERGY and me.mood is not other.mood:
        parts[CollaborationType.MOOD_CONTRAST] = MOOD_CONTRAST_BONUS
    return parts


def collaboration_potential(me: MatchProfile, other: MatchProfile) -> float:
    """How much two artists could make together that neither makes alone, 0-1."""
    potential = 0.0
    for part in collaboration_parts(me, other).values():
        potential += part
    return min(1.0, potential)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An artist the matcher may suggest: an id (ties are broken by it) and a profile."""

    id: str
    profile: MatchProfile


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's id and score."""

    id: str
    score: float


def best_matches(
    me: MatchProfile, candidates: Sequence[Candidate], *, limit: int, min_similarity: float
) -> list[Scored]:
    """The `limit` most similar candidates scoring at least `min_similarity`; ties by id."""
    scored = [Scored(c.id, similarity(me, c.profile)) for c in candidates]
    kept = [s for s in scored if s.score >= min_similarity]
    return sorted(kept, key=lambda s: (-s.score, s.id))[:limit]


def best_collaborations(
    me: MatchProfile, candidates: Sequence[Candidate], *, limit: int = MAX_COLLABORATIONS
) -> list[Scored]:
    """The `limit` candidates with the most collaboration potential above MIN_COLLABORATION."""
    scored = [Scored(c.id, collaboration_potential(me, c.profile)) for c in candidates]
    kept = [s for s in scored if s.score > MIN_COLLABORATION]
    return sorted(kept, key=lambda s: (-s.score, s.id))[:limit]
