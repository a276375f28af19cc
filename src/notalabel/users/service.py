"""Creating artist accounts, signing them in and reading them back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import Database, utcnow
from notalabel.identity.naming import name_key
from notalabel.security import AccessClaims, IssuedRefreshToken, TokenService
from notalabel.users.exceptions import UserNotFound
from notalabel.users.models import Device, RefreshToken, User

DEFAULT_NOTIFICATIONS = {
    "newFollowers": True,
    "patternLikes": True,
    "collaborationRequests": True,
    "communityUpdates": False,
}


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """Where a request came from, kept with sessions and devices."""

    ip_address: str = ""
    user_agent: str = ""
    referrer: str = ""

    @property
    def device_type(self) -> str:
        """mobile, tablet or desktop, guessed from the user agent."""
        agent = self.user_agent.lower()
        if "ipad" in agent or "tablet" in agent:
            return "tablet"
        if "mobi" in agent or "android" in agent or "iphone" in agent:
            return "mobile"
        return "desktop" if agent else "unknown"

    def to_json(self) -> dict[str, str]:
        """As stored on a session."""
        return {
            "ipAddress": self.ip_address,
            "userAgent": self.user_agent[:512],
            "referrer": self.referrer[:512],
            "deviceType": self.device_type,
        }


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Tokens of a fresh sign-in."""

    access_token: str
    refresh_token: str
    expires_in: int
    device_id: str


def artist_values(
    *,
    artist_name: str,
    name_key: str,
    music_dna: dict[str, Any],
    signature_pattern: dict[str, Any],
    bio: str,
    collaboration_openness: int,
) -> dict[str, Any]:
    """The columns of a new account built from a finished onboarding."""
    now = utcnow()
    genre = signature_pattern.get("genre")
    return {
        "id": f"usr_{uuid.uuid4().hex}",
        "artist_name": artist_name,
        "artist_name_key": name_key,
        "music_dna": music_dna,
        "signature_pattern": signature_pattern,
        "profile": {
            "bio": bio,
            "avatar": None,
            "location": None,
            "website": None,
            "socialLinks": {},
            "joinedAt": now.isoformat(),
            "lastActive": now.isoformat(),
            "achievements": ["first_beat", "musical_identity_created"],
            "totalPatterns": 1,
            "totalLikes": 0,
            "totalPlays": 0,
        },
        "preferences": {
            "preferredGenres": [genre] if genre else [],
            "dislikedGenres": [],
            "collaborationOpenness": collaboration_openness,
            "shareByDefault": True,
            "allowVoiceAuth": False,
            "notifications": dict(DEFAULT_NOTIFICATIONS),
        },
        "login_method": "musical_identity",
        "last_login_at": now,
        "created_at": now,
        "updated_at": now,
    }


def new_artist(**values: Any) -> User:
    """A new account built from a finished onboarding (see `artist_values`)."""
    return User(**artist_values(**values))


def insert_artist(conn: Connection, values: dict[str, Any]) -> None:
    """Store a new account built by `artist_values` (Core, inside `Database.run`)."""
    conn.execute(insert(User), [values])


def device_values(user_id: str, method: str, client: ClientInfo, now: datetime) -> dict[str, Any]:
    """The columns of a new device sign-in."""
    return {
        "id": f"dev_{uuid.uuid4().hex}",
        "user_id": user_id,
        "login_method": method,
        "device_type": client.device_type,
        "user_agent": client.user_agent[:512],
        "created_at": now,
        "last_used_at": now,
        "authenticated_at": now,
        "revoked_at": None,
    }


def _refresh_values(device_id: str, issued: IssuedRefreshToken) -> dict[str, Any]:
    return {
        "id": f"rt_{uuid.uuid4().hex}",
        "device_id": device_id,
        "token_hash": issued.token_hash,
        "created_at": utcnow(),
        "expires_at": issued.expires_at,
    }


def start_sign_in(
    conn: Connection,
    tokens: TokenService,
    *,
    user_id: str,
    artist_name: str,
    method: str,
    client: ClientInfo,
) -> tuple[SignedIn, Device]:
    """`sign_in` for an account stored in the same Core transaction (its login fields set)."""
    device = device_values(user_id, method, client, utcnow())
    issued = tokens.new_refresh_token()
    conn.execute(insert(Device), [device])
    conn.execute(insert(RefreshToken), [_refresh_values(device["id"], issued)])
    access = tokens.issue_access(user_id, artist_name, device["id"], device["authenticated_at"])
    signed = SignedIn(access, issued.token, int(tokens.access_ttl.total_seconds()), device["id"])
    return signed, Device(**device)


async def sign_in(
    tx: AsyncSession, tokens: TokenService, user: User, method: str, client: ClientInfo
) -> SignedIn:
    """Start a device sign-in for `user`: an access token and the first refresh token."""
    now = utcnow()
    device = Device(**device_values(user.id, method, client, now))
    tx.add(device)
    user.login_method = method
    user.last_login_at = now
    return issue_tokens(tx, tokens, user, device)


def issue_tokens(tx: AsyncSession, tokens: TokenService, user: User, device: Device) -> SignedIn:
    """A fresh access token and refresh token for an existing device sign-in."""
    issued = tokens.new_refresh_token()
    tx.add(RefreshToken(**_refresh_values(device.id, issued)))
    access = tokens.issue_access(user.id, user.artist_name, device.id, device.authenticated_at)
    return SignedIn(access, issued.token, int(tokens.access_ttl.total_seconds()), device.id)


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in artist, the device sign-in their token belongs to, and when it was proven."""

    user: User
    device: Device
    authenticated_at: datetime


async def live_devices(tx: AsyncSession, user_id: str) -> list[Device]:
    """The user's device sign-ins that are not revoked, most recently used first."""
    rows = await tx.scalars(
        select(Device)
        .where(Device.user_id == user_id, Device.revoked_at.is_(None))
        .order_by(Device.last_used_at.desc(), Device.id)
    )
    return list(rows)


async def find_by_ref(tx: AsyncSession, ref: str) -> User | None:
    """A user by id, or by artist name in any case and spacing."""
    query = select(User).where(or_(User.id == ref, User.artist_name_key == name_key(ref)))
    return (await tx.scalars(query.limit(1))).first()


class UserService:
    """Reads accounts."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: str) -> User:
        """The account with this id, or UserNotFound."""
        async with self._db.transaction() as tx:
            user = await tx.get(User, user_id)
        if user is None:
            raise UserNotFound("No artist with that id.")
        return user

    async def authenticate(self, claims: AccessClaims) -> Principal | None:
        """The user and live device a verified token names, or None if either is gone."""
        query = (
            select(User, Device)
            .join(Device, Device.user_id == User.id)
            .where(
                User.id == claims.user_id,
                Device.id == claims.device_id,
                Device.revoked_at.is_(None),
            )
        )
        async with self._db.sessions() as tx:
            row = (await tx.execute(query)).one_or_none()
        return None if row is None else Principal(row[0], row[1], claims.authenticated_at)
