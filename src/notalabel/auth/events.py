"""Events of signing in."""

from dataclasses import dataclass

from notalabel.events import Event


@dataclass(frozen=True, kw_only=True)
class UserSignedIn(Event):
    """A sign-in started a new device session."""

    user_id: str
    device_id: str
    login_method: str


@dataclass(frozen=True, kw_only=True)
class LoginFailed(Event):
    """A password sign-in failed (the user id is empty when no account matched)."""

    user_id: str
    locked: bool


@dataclass(frozen=True, kw_only=True)
class CredentialsAttached(Event):
    """An artist set or changed their email and password."""

    user_id: str


@dataclass(frozen=True, kw_only=True)
class RefreshTokenReused(Event):
    """A refresh token was presented twice: the device sign-in was revoked."""

    user_id: str
    device_id: str


@dataclass(frozen=True, kw_only=True)
class DeviceRevoked(Event):
    """A device sign-in ended (logout or revoked from the device list)."""

    user_id: str
    device_id: str
