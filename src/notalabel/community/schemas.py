"""What the community routes answer."""

from __future__ import annotations

from typing import Any

from notalabel.community.explain import CollaborationType
from notalabel.schemas import ApiOutput


class ArtistCardOut(ApiOutput):
    """An artist as a suggestion shows them: the public parts of the profile."""

    id: str
    artist_name: str
    avatar: str | None
    bio: str | None
    primary_genre: str | None
    preferred_mood: str | None
    signature_pattern: dict[str, Any]


class MatchOut(ApiOutput):
    """An artist whose music is like the caller's."""

    artist: ArtistCardOut
    similarity: float
    reasons: list[str]


class MatchList(ApiOutput):
    """The most similar artists, best first."""

    items: list[MatchOut]


class CollaborationOut(ApiOutput):
    """An artist worth making something with, and why."""

    artist: ArtistCardOut
    potential: float
    collaboration_type: CollaborationType
    reason: str


class CollaborationList(ApiOutput):
    """At most five suggestions, best first."""

    items: list[CollaborationOut]
