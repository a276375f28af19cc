"""Bodies of the passkey routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from notalabel.schemas import ApiModel

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
# the browser's PublicKeyCredential encoded as JSON (base64url for binary fields)
BrowserCredential = Annotated[
    dict[str, Any], Field(description="the browser's PublicKeyCredential as JSON")
]


class PasskeyRegistrationRequest(ApiModel):
    """The answer of navigator.credentials.create() and an optional name for the passkey."""

    credential: BrowserCredential
    name: ShortText | None = None


class PasskeySignInOptionsRequest(ApiModel):
    """Name the artist to list their passkeys; leave it out for a discoverable passkey."""

    artist_name: ShortText | None = None


class PasskeySignInOptionsOut(ApiModel):
    """Options for navigator.credentials.get({publicKey}) and the id to answer them with."""

    challenge_id: str
    public_key: dict[str, Any] = Field(description="PublicKeyCredentialRequestOptions as JSON")


class PasskeySignInRequest(ApiModel):
    """The answer of navigator.credentials.get() to the options of `challengeId`."""

    challenge_id: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    credential: BrowserCredential


class PasskeyOut(ApiModel):
    """One passkey of the signed-in artist (never its key material)."""

    id: str
    name: str
    transports: list[str]
    backed_up: bool
    created_at: datetime
    last_used_at: datetime | None
