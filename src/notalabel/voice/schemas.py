"""Bodies of the voice routes: never a vector, only settings, quality and usage."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from notalabel.schemas import ApiModel

ArtistRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class VoiceSettings(ApiModel):
    """How the signature may be used (the seed's authenticationSettings)."""

    confidence_threshold: float = Field(description="calibrated score a login must reach")
    max_attempts: int = Field(description="failed logins in a row before voice login pauses")
    require_humming: bool = Field(description="a login also hums the signature melody")


class VoiceSettingsChange(ApiModel):
    """Change any of the signature's settings."""

    confidence_threshold: Annotated[float, Field(ge=0.5, le=0.99)] | None = None
    max_attempts: Annotated[int, Field(ge=1, le=10)] | None = None
    require_humming: bool | None = None


class VoiceUsage(ApiModel):
    """How the signature has been used (the seed's usage)."""

    created_at: datetime
    last_used: datetime | None
    successful_auths: int
    failed_attempts: int
    average_confidence: float | None
    locked_until: datetime | None


class VoiceSignatureOut(ApiModel):
    """The signed-in artist's voice signature, without its voiceprint."""

    quality: float = Field(description="how well the enrolment samples agreed, 0 to 1")
    sample_count: int
    updated_at: datetime
    needs_re_enrolment: bool = Field(
        default=False,
        description="the voiceprint no longer opens with the service's keys: record it again",
    )
    settings: VoiceSettings
    usage: VoiceUsage


class EnrolmentProgressOut(ApiModel):
    """Samples received so far when they are sent one request at a time."""

    samples_received: int
    samples_needed: int
    message: str


class VoiceChallengeRequest(ApiModel):
    """The artist who wants to log in by voice."""

    artist_name: ArtistRef


class VoiceChallengeOut(ApiModel):
    """Four digits to say aloud within two minutes; answer with the recording."""

    challenge_id: str
    digits: str = Field(description="the four digits, e.g. 4072")
    phrase: str = Field(description="what to say, e.g. 'four zero seven two'")
    expires_in: int = Field(description="seconds the challenge stays valid")
