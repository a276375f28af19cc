"""Events of passkeys."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class PasskeyAdded(Event):
    """An artist registered a new passkey."""

    user_id: str
    passkey_id: str


@dataclass(frozen=True, kw_only=True)
class PasskeyRemoved(Event):
    """An artist removed one of their passkeys."""

    user_id: str
    passkey_id: str
