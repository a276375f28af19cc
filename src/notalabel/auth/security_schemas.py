"""Bodies of re-authentication, recovery codes and the security log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints, model_validator

from notalabel.auth.schemas import TokensOut
from notalabel.schemas import ApiModel

# generous: dashes and spaces are allowed in what the artist types
RecoveryCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class ReauthenticateRequest(ApiModel):
    """Prove the sign-in again with exactly one of a password or a recovery code."""

    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)] | None = None
    recovery_code: RecoveryCode | None = None

    @model_validator(mode="after")
    def _exactly_one_proof(self) -> ReauthenticateRequest:
        if (self.password is None) == (self.recovery_code is None):
            raise ValueError("send exactly one of password or recoveryCode")
        return self


class RecoverRequest(ApiModel):
    """Sign in with a recovery code when the password (or every device) is lost."""

    artist_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
    ]
    recovery_code: RecoveryCode


class RecoveredOut(TokensOut):
    """Tokens of the new, recently authenticated device sign-in."""

    recovery_codes_left: int = Field(description="unused recovery codes after this one")


class RecoveryCodesOut(ApiModel):
    """A new set of recovery codes: shown this once, stored only as hashes."""

    recovery_codes: list[str]
    remaining: int


class RecoveryStatusOut(ApiModel):
    """How many recovery codes are left (never the codes)."""

    remaining: int
    generated_at: datetime | None


class SecurityEventOut(ApiModel):
    """One entry of the security log."""

    id: str
    kind: str
    created_at: datetime
    device_id: str | None
    ip_address: str
    user_agent: str
    details: dict[str, Any]


class SecurityEventPage(ApiModel):
    """One page of the security log, newest first; pass `nextCursor` back for the next."""

    items: list[SecurityEventOut]
    next_cursor: str | None
