"""Request and response bodies of the onboarding routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from notalabel.schemas import ApiModel
from notalabel.users.schemas import ArtistNameOut, MeOut

Step = Literal["discovery", "refinement", "naming", "confirmation", "completed"]
UserInput = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
SessionId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]


class PatternOut(ApiModel):
    """A generated pattern as the client plays it."""

    id: str | None = None
    code: str
    description: str
    bpm: int
    key: str
    genre: str
    mood: str
    share_url: str


class MusicDNAOut(ApiModel):
    """What we understood of the artist's taste."""

    primary_genre: str | None
    sub_genres: list[str]
    preferred_mood: str | None
    moods: list[str]
    energy_level: int
    complexity: int
    keywords: list[str]
    creation_style: str
    confidence_score: float
    # no style was named: primary_genre is the one a listener would pick (lower confidence)
    genre_inferred: bool = False


class StartResponse(ApiModel):
    """A new onboarding session."""

    session_id: str
    step: Step
    message: str
    prompt: str
    expires_at: datetime


class ProcessRequest(ApiModel):
    """One answer of the artist."""

    session_id: SessionId
    input: UserInput


class FinalizeRequest(ApiModel):
    """Create the account from a confirmed session."""

    session_id: SessionId


class SignaturePatternOut(ApiModel):
    """The pattern that became the artist's identity."""

    id: str
    strudel_code: str
    description: str
    bpm: int
    key: str
    mood: str
    genre: str
    share_url: str
    created_at: datetime


class FinalizeResponse(ApiModel):
    """The new account and its tokens."""

    success: bool = True
    user: MeOut
    token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105
    expires_in: int
    message: str
    signature_pattern: SignaturePatternOut
    recovery_codes: list[str] = Field(
        default_factory=list,
        description="one-time recovery codes, shown in this response only: keep them safe",
    )
    device_key: str | None = Field(
        default=None,
        description="keep it and send it with password logins: this device is then known",
    )


class SimilarArtistOut(ApiModel):
    """An artist whose music is like the DNA just described (public card and score)."""

    id: str
    artist_name: str
    primary_genre: str | None
    preferred_mood: str | None
    similarity: float
    reasons: list[str]


class ProcessResponse(ApiModel):
    """What the conversation answers to one input."""

    success: bool
    step: Step
    next_step: Step
    message: str
    prompt: str | None = None
    pattern: PatternOut | None = None
    music_dna: MusicDNAOut | None = None
    suggestions: list[str] | None = None
    artist_name: ArtistNameOut | None = None
    user: MeOut | None = None
    token: str | None = None
    refresh_token: str | None = None
    signature_pattern: SignaturePatternOut | None = None
    similar_artists: list[SimilarArtistOut] | None = Field(
        default=None,
        description="at the discovery step: the artists who sound most like the description",
    )
    # only on the answer that creates the account, and never again
    recovery_codes: list[str] | None = None
    device_key: str | None = None


class HistoryEntry(ApiModel):
    """One recorded answer."""

    step: str
    input: str
    timestamp: datetime
    processed_data: dict[str, Any] = Field(default_factory=dict)


class SessionOut(ApiModel):
    """Everything needed to resume a session."""

    session_id: str
    step: Step
    prompt: str
    completed: bool
    created_at: datetime
    expires_at: datetime
    music_dna: MusicDNAOut | None
    artist_name: ArtistNameOut | None
    last_pattern: PatternOut | None
    responses: list[HistoryEntry]
    patterns: list[PatternOut]
