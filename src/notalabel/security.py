"""Access tokens (JWT) and refresh-token secrets."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from notalabel.db import utcnow
from notalabel.errors import Unauthorized

ALGORITHM = "HS256"
# verified tokens remembered per process: a token is verified once, then only its expiry is
# checked (a signature check and JSON parse cost more than the rest of a small request)
VERIFIED_TOKENS_KEPT = 4096
NO_TOKEN = "Access denied. No token provided."  # noqa: S105
INVALID_TOKEN = "Invalid token."  # noqa: S105


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """What a verified access token says."""

    user_id: str
    artist_name: str
    device_id: str
    token_id: str
    expires_at: datetime
    # when the device sign-in was last proven (sign-in or re-authentication), not refreshed
    authenticated_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedRefreshToken:
    """A new refresh token: the secret goes to the client, only the hash is stored."""

    token: str
    token_hash: str
    expires_at: datetime


class TokenService:
    """Signs and verifies access tokens with one pinned algorithm, issuer and audience."""

    def __init__(
        self,
        secret: str,
        *,
        issuer: str,
        audience: str,
        access_ttl: timedelta,
        refresh_ttl: timedelta,
    ) -> None:
        self._secret = secret
        self._issuer = issuer
        self._audience = audience
        self.access_ttl = access_ttl
        self.refresh_ttl = refresh_ttl
        # whole token -> its claims: a token differing in any byte is verified afresh
        self._verified: dict[str, AccessClaims] = {}

    def issue_access(
        self, user_id: str, artist_name: str, device_id: str, authenticated_at: datetime
    ) -> str:
        """A short-lived access JWT `{sub, artistName, did, auth_time}` bound to one sign-in."""
        now = utcnow()
        claims = {
            "sub": user_id,
            "artistName": artist_name,
            "did": device_id,
            "auth_time": int(authenticated_at.timestamp()),
            "iss": self._issuer,
            "aud": self._audience,
            "iat": now,
            "nbf": now,
            "exp": now + self.access_ttl,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify_access(self, token: str) -> AccessClaims:
        """Return the claims of a valid token or raise Unauthorized("Invalid token.")."""
        known = self._verified.get(token)
        if known is not None:
            # PyJWT's rule: a token is expired from its `exp` second on
            if utcnow() < known.expires_at:
                return known
            self._verified.pop(token, None)
            raise Unauthorized(INVALID_TOKEN)
        verified = self._verify(token)
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            # the oldest entry goes (dicts keep insertion order)
            self._verified.pop(next(iter(self._verified)), None)
        self._verified[token] = verified
        return verified

    def _verify(self, token: str) -> AccessClaims:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                issuer=self._issuer,
                audience=self._audience,
                options={"require": ["sub", "exp", "iat", "iss", "aud", "did", "auth_time"]},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(INVALID_TOKEN) from exc
        subject, name, device = claims.get("sub"), claims.get("artistName"), claims.get("did")
        if not all(isinstance(value, str) for value in (subject, name, device)):
            raise Unauthorized(INVALID_TOKEN)
        auth_time = claims.get("auth_time")
        if not isinstance(auth_time, int) or isinstance(auth_time, bool):
            raise Unauthorized(INVALID_TOKEN)
        return AccessClaims(
            user_id=str(subject),
            artist_name=str(name),
            device_id=str(device),
            token_id=str(claims.get("jti", "")),
            expires_at=datetime.fromtimestamp(claims["exp"], tz=UTC),
            authenticated_at=datetime.fromtimestamp(auth_time, tz=UTC),
        )

    def new_refresh_token(self) -> IssuedRefreshToken:
        """A fresh random refresh token and its storage hash."""
        token = secrets.token_urlsafe(48)
        return IssuedRefreshToken(token, hash_token(token), utcnow() + self.refresh_ttl)


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token; such tokens need no slow hash."""
    return hashlib.sha256(token.encode()).hexdigest()
