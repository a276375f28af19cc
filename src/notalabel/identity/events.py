"""Events of the onboarding conversation."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class IdentitySessionStarted(Event):
    """A visitor began describing their music."""

    session_id: str


@dataclass(frozen=True, kw_only=True)
class IdentityCreated(Event):
    """An onboarding finished: a new artist account exists."""

    session_id: str
    user_id: str
    artist_name: str
    signature_pattern_id: str
    genre: str | None
    mood: str | None


@dataclass(frozen=True, kw_only=True)
class IdentitySessionAbandoned(Event):
    """A visitor gave up the onboarding before it finished."""

    session_id: str
