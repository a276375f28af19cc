"""What the community routes answer."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import StringConstraints

from notalabel.community.models import RequestStatus
from notalabel.community.reference import CollaborationType
from notalabel.schemas import ApiModel, ApiOutput


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


class ArtistRef(ApiOutput):
    """An artist named in a request: id and name."""

    id: str
    artist_name: str


class RequestIn(ApiModel):
    """An optional note to the artist asked."""

    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class RequestOut(ApiOutput):
    """A collaboration request and where it stands."""

    id: str
    requester: ArtistRef
    recipient: ArtistRef
    message: str
    status: RequestStatus
    created_at: datetime
    answered_at: datetime | None


class RequestLists(ApiOutput):
    """The caller's open requests: those asked of them, and those they made."""

    incoming: list[RequestOut]
    outgoing: list[RequestOut]


class CollaboratorOut(ApiOutput):
    """An artist someone collaborates with, since the request was accepted."""

    id: str
    artist_name: str
    since: datetime


class CollaboratorList(ApiOutput):
    """An artist's collaborators, most recent first."""

    items: list[CollaboratorOut]
