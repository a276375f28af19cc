"""Bodies of `/api/generate-music`, shaped as the existing terminal client sends and reads them."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from notalabel.schemas import ApiModel, SingleLine

ShortText = Annotated[SingleLine, StringConstraints(strip_whitespace=True, max_length=64)]


class ClientApiModel(ApiModel):
    """Tolerates extra fields the existing client may send."""

    model_config = ConfigDict(extra="ignore")


class RequestedDNA(ClientApiModel):
    """The client's idea of the artist's DNA; any field may be missing."""

    primary_genre: ShortText | None = None
    preferred_mood: ShortText | None = None
    energy_level: Annotated[int, Field(ge=1, le=10)] | None = None
    complexity: Annotated[int, Field(ge=1, le=10)] | None = None


class RequestContext(ClientApiModel):
    """When and while doing what the artist listens."""

    time_of_day: ShortText | None = None
    activity: (
        Annotated[SingleLine, StringConstraints(strip_whitespace=True, max_length=200)] | None
    ) = None


class GenerateMusicRequest(ClientApiModel):
    """What to generate."""

    user_input: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    music_dna: RequestedDNA | None = None
    context: RequestContext | None = None
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None


class GeneratedMetadata(ApiModel):
    """Facts about the generated pattern."""

    genre: str
    mood: str
    bpm: int
    key: str
    energy_level: int
    complexity: int
    share_url: str
    seed: int
    music_dna: dict[str, object]


class GenerateMusicResponse(ApiModel):
    """The pattern, as the terminal client reads it."""

    success: bool = True
    code: str
    description: str
    metadata: GeneratedMetadata
