"""Bodies of the user routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StrictBool, StringConstraints, model_validator

from notalabel.auth.schemas import DeviceOut
from notalabel.auth.security_schemas import SecurityEventOut
from notalabel.engine.vocabulary import Genre
from notalabel.identity.naming import MAX_NAME_LENGTH, MIN_NAME_LENGTH
from notalabel.schemas import ApiModel, SingleLine
from notalabel.users.validation import avatar_problem, https_url_problem, social_link_problem


def _check(problem: str | None, value: str) -> str:
    if problem is not None:
        raise ValueError(problem)
    return value


def _social(network: str) -> Any:
    return AfterValidator(lambda v: _check(social_link_problem(network, v), v))


Trimmed = StringConstraints(strip_whitespace=True)
_PLAIN_TEXT = (
    "Plain text, stored and returned exactly as written (no HTML or Markdown is interpreted); "
    "clients escape it when they render it."
)
Bio = Annotated[str, Trimmed, StringConstraints(max_length=300), Field(description=_PLAIN_TEXT)]
Location = Annotated[
    SingleLine,
    Trimmed,
    StringConstraints(max_length=100),
    Field(description=f"One line. {_PLAIN_TEXT}"),
]
Avatar = Annotated[
    str,
    Trimmed,
    AfterValidator(lambda v: _check(avatar_problem(v), v)),
    Field(description="One emoji, or an https:// image URL"),
]
Website = Annotated[
    str,
    Trimmed,
    AfterValidator(lambda v: _check(https_url_problem(v), v)),
    Field(description="An https:// URL without quotes, angle brackets, backslashes or spaces"),
]
Link = Annotated[str, Trimmed, StringConstraints(max_length=2048)]
# The rules (NFKC, one script, visible letters, 2 to 32 characters) are the domain's; the
# schema states the length, and a longer or shorter name answers 422 `invalid_artist_name`.
ArtistNameIn = Annotated[
    SingleLine,
    Trimmed,
    StringConstraints(max_length=4 * MAX_NAME_LENGTH),
    Field(
        description=f"{MIN_NAME_LENGTH} to {MAX_NAME_LENGTH} letters, digits, spaces, - _ . "
        "in one script",
        json_schema_extra={"minLength": MIN_NAME_LENGTH, "maxLength": MAX_NAME_LENGTH},
    ),
]
ArtistNameOut = Annotated[str, Field(min_length=MIN_NAME_LENGTH, max_length=MAX_NAME_LENGTH)]


class Counts(ApiModel):
    """Relations and patterns counted from their rows; likes and plays summed over patterns."""

    followers: int
    following: int
    patterns: int
    # likes and plays of all the artist's patterns (their exact counters, summed)
    likes_received: int
    plays: int


class ViewerRelation(ApiModel):
    """How the signed-in caller stands to the artist they are looking at."""

    is_self: bool
    following: bool


class PublicProfileOut(ApiModel):
    """What anyone may see of an artist."""

    id: str
    artist_name: ArtistNameOut
    bio: str | None
    avatar: str | None
    location: str | None
    website: str | None
    social_links: dict[str, str]
    music_dna: dict[str, Any]
    signature_pattern: dict[str, Any]
    counts: Counts
    achievements: list[str]
    joined_at: datetime
    # only for a signed-in caller; a block either way hides the profile (404), so a
    # profile that answers is never blocked
    viewer: ViewerRelation | None = Field(
        default=None,
        description="The caller's relation to the artist; null when anonymous and in /me",
    )


class MeOut(PublicProfileOut):
    """The signed-in artist's own view: the public profile plus private fields."""

    email: str | None
    has_password: bool
    preferences: dict[str, Any]
    devices: list[DeviceOut]
    login_method: str | None
    last_login_at: datetime | None
    # security-log entries made elsewhere that this device has not acknowledged yet
    security_alerts: list[SecurityEventOut] = Field(default_factory=list)


class SocialLinksIn(ApiModel):
    """Links or handles; null removes one."""

    spotify: Annotated[Link, _social("spotify")] | None = None
    soundcloud: Annotated[Link, _social("soundcloud")] | None = None
    instagram: Annotated[Link, _social("instagram")] | None = None
    twitter: Annotated[Link, _social("twitter")] | None = None


class NotificationsIn(ApiModel):
    """Which notifications to receive."""

    new_followers: StrictBool | None = None
    pattern_likes: StrictBool | None = None
    collaboration_requests: StrictBool | None = None
    community_updates: StrictBool | None = None


class PreferencesIn(ApiModel):
    """Taste and sharing preferences."""

    preferred_genres: Annotated[list[Genre], Field(max_length=14)] | None = None
    disliked_genres: Annotated[list[Genre], Field(max_length=14)] | None = None
    collaboration_openness: Annotated[int, Field(ge=1, le=10)] | None = None
    share_by_default: StrictBool | None = None
    allow_voice_auth: StrictBool | None = None
    notifications: NotificationsIn | None = None

    @model_validator(mode="after")
    def _no_genre_both_liked_and_disliked(self) -> PreferencesIn:
        both = set(self.preferred_genres or ()) & set(self.disliked_genres or ())
        if both:
            raise ValueError(f"a genre cannot be both preferred and disliked: {sorted(both)}")
        return self


class ProfileUpdate(ApiModel):
    """A partial update: only the fields sent change; null clears an optional text."""

    bio: Bio | None = None
    avatar: Avatar | None = None
    location: Location | None = None
    website: Website | None = None
    social_links: SocialLinksIn | None = None
    preferences: PreferencesIn | None = None


class RenameRequest(ApiModel):
    """A new artist name."""

    artist_name: ArtistNameIn
