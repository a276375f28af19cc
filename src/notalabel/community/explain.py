"""Why two artists were matched or paired, in words."""

from __future__ import annotations

from notalabel.community.profile import MatchProfile
from notalabel.community.reference import (
    CLOSE_ENERGY,
    CollaborationType,
    collaboration_parts,
)
from notalabel.community.tables import genre_synergy, mood_compatibility

COMPATIBLE_MOODS = 0.7  # mood compatibility above this is worth a reason
MAX_SHARED_KEYWORDS = 3


def compatibility_reasons(me: MatchProfile, other: MatchProfile) -> list[str]:
    """The seed's reasons for a match, in its order (shared keywords alphabetically)."""
    reasons = []
    if me.genre is not None and me.genre is other.genre:
        reasons.append(f"Both love {me.genre.value} music")
    shared = sorted(me.keywords & other.keywords)
    if shared:
        reasons.append(f"Shared vibes: {', '.join(shared[:MAX_SHARED_KEYWORDS])}")
    if abs(me.energy - other.energy) <= CLOSE_ENERGY:
        reasons.append("Similar energy levels")
    both = me.mood is not None and other.mood is not None
    if both and mood_compatibility(me.mood, other.mood) > COMPATIBLE_MOODS:
        assert me.mood is not None
        assert other.mood is not None
        reasons.append(f"Compatible {me.mood.value} and {other.mood.value} moods")
    return reasons


def collaboration_type(me: MatchProfile, other: MatchProfile) -> CollaborationType | None:
    """The largest part of the potential; on a tie, fusion before skills before moods."""
    parts = collaboration_parts(me, other)
    if not parts:
        return None
    # dict order is the enum's order, and max keeps the first of equal values
    return max(parts, key=lambda kind: parts[kind])


def collaboration_reason(me: MatchProfile, other: MatchProfile) -> str:
    """One sentence per part of the potential, largest first."""
    parts = collaboration_parts(me, other)
    ordered = sorted(parts, key=lambda kind: -parts[kind])
    return " ".join(_sentence(kind, me, other) for kind in ordered)


def _sentence(kind: CollaborationType, me: MatchProfile, other: MatchProfile) -> str:
    if kind is CollaborationType.GENRE_FUSION:
        assert me.genre is not None
        assert other.genre is not None
        fit = "a proven fusion" if genre_synergy(me.genre, other.genre) >= 0.7 else "new ground"
        return f"Your {me.genre.value} and their {other.genre.value}: {fit}."
    if kind is CollaborationType.SKILL_EXCHANGE:
        return (
            f"Your patterns are complexity {me.complexity}, theirs {other.complexity}: "
            "enough apart to learn from each other."
        )
    mine = me.mood.value if me.mood else "no set mood"
    theirs = other.mood.value if other.mood else "no set mood"
    return f"Similar energy, different moods: your {mine} against their {theirs}."
