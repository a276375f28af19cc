"""Bodies of the sign-in routes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from notalabel.schemas import ApiModel

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


def _valid_email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not a valid email address")
    return value


Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_valid_email)
]
Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


DeviceKey = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class CredentialsRequest(ApiModel):
    """Set the password and start verifying an email (the email attaches once verified)."""

    email: Email
    password: Password
    current_password: Password | None = None


class LoginRequest(ApiModel):
    """Email or artist name, and password."""

    identifier: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)
    ]
    password: Password
    device_key: DeviceKey | None = Field(
        default=None, description="the deviceKey an earlier sign-in from this client returned"
    )


class PasswordRequest(ApiModel):
    """A new password; the current one is needed unless the sign-in is recent."""

    password: Password
    current_password: Password | None = None


class EmailRequest(ApiModel):
    """An email address to verify and then attach."""

    email: Email


class VerifyEmailRequest(ApiModel):
    """The 6-digit code mailed to the pending address."""

    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{6}$")]


class PendingEmailOut(ApiModel):
    """A code is on its way to this address."""

    pending_email: str
    expires_in: int = Field(description="seconds until the code expires")


class RefreshRequest(ApiModel):
    """A refresh token to exchange."""

    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class TokensOut(ApiModel):
    """A fresh access token and the next refresh token."""

    token: str
    refresh_token: str
    token_type: str = "Bearer"  # noqa: S105
    expires_in: int = Field(description="seconds until the access token expires")
    device_key: str | None = Field(
        default=None,
        description="keep it and send it with later password logins from this client, so "
        "lockouts caused by others do not apply to it (absent on refresh and re-authentication)",
    )


class DeviceOut(ApiModel):
    """One signed-in device."""

    id: str
    device_type: str
    user_agent: str
    login_method: str
    created_at: datetime
    last_used_at: datetime
    current: bool = False


class CredentialsOut(ApiModel):
    """Where password sign-in now stands: the verified email, and one awaiting its code."""

    email: str | None
    has_password: bool = True
    pending_email: str | None = None
