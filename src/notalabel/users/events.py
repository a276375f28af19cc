"""Events of accounts."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class ProfileUpdated(Event):
    """An artist edited their profile."""

    user_id: str
    fields: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ArtistRenamed(Event):
    """An artist took a new name."""

    user_id: str
    old_name: str
    new_name: str


@dataclass(frozen=True, kw_only=True)
class UserDeleted(Event):
    """An account and its personal data were erased."""

    user_id: str
