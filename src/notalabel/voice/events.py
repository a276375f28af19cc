"""Past-tense facts about voice signatures."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class VoiceSignatureEnrolled(Event):
    """An artist enrolled (or re-enrolled) their voice."""

    user_id: str


@dataclass(frozen=True, kw_only=True)
class VoiceSignatureRemoved(Event):
    """An artist deleted their voice signature."""

    user_id: str


@dataclass(frozen=True, kw_only=True)
class VoiceLoginLocked(Event):
    """Too many failed voice logins in a row paused voice login for an artist."""

    user_id: str
    seconds: int
