"""Creating artist accounts, signing them in and reading them back."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, inspect, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapper, configure_mappers

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


# built once: every sign-in and every refresh inserts one refresh token
_REFRESH_TOKENS: Table = RefreshToken.__table__  # type: ignore[assignment]
_INSERT_REFRESH = insert(_REFRESH_TOKENS)


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
    conn.execute(insert(Device), [device])
    signed = renew_sign_in(
        conn,
        tokens,
        user_id=user_id,
        artist_name=artist_name,
        device_id=device["id"],
        authenticated_at=device["authenticated_at"],
    )
    return signed, Device(**device)


def renew_sign_in(
    conn: Connection,
    tokens: TokenService,
    *,
    user_id: str,
    artist_name: str,
    device_id: str,
    authenticated_at: datetime,
) -> SignedIn:
    """`issue_tokens` with Core, inside `Database.run`: a new refresh token for a device."""
    issued = tokens.new_refresh_token()
    conn.execute(_INSERT_REFRESH, _refresh_values(device_id, issued))
    access = tokens.issue_access(user_id, artist_name, device_id, authenticated_at)
    return SignedIn(access, issued.token, int(tokens.access_ttl.total_seconds()), device_id)


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


USERS: Table = User.__table__  # type: ignore[assignment]
DEVICES: Table = Device.__table__  # type: ignore[assignment]
USER_FIELDS = tuple(c.key for c in USERS.columns)
DEVICE_FIELDS = tuple(c.key for c in DEVICES.columns)
_USER_MAPPER = inspect(User)
_DEVICE_MAPPER = inspect(Device)


def user_from_row(values: Sequence[Any]) -> User:
    """An unattached `User` from the values of `USER_FIELDS`, in that order."""
    user: User = _unattached(_USER_MAPPER, USER_FIELDS, values)
    return user


def device_from_row(values: Sequence[Any]) -> Device:
    """An unattached `Device` from the values of `DEVICE_FIELDS`, in that order."""
    device: Device = _unattached(_DEVICE_MAPPER, DEVICE_FIELDS, values)
    return device


def _unattached(mapper: Mapper[Any], fields: tuple[str, ...], values: Sequence[Any]) -> Any:
    # what the ORM's own loader does, without a session: the constructor would route every
    # column through the attribute events and costs several times more
    if not mapper.configured:
        configure_mappers()
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(zip(fields, values, strict=True))
    return instance


# built once: the statements of the read paths, only their parameters change
_PRINCIPAL = (
    select(*USERS.c, *DEVICES.c)
    .join_from(USERS, DEVICES, DEVICES.c.user_id == USERS.c.id)
    .where(
        USERS.c.id == bindparam("user_id"),
        DEVICES.c.id == bindparam("device_id"),
        DEVICES.c.revoked_at.is_(None),
    )
)
_LIVE_DEVICES = (
    select(*DEVICES.c)
    .where(DEVICES.c.user_id == bindparam("user_id"), DEVICES.c.revoked_at.is_(None))
    .order_by(DEVICES.c.last_used_at.desc(), DEVICES.c.id)
)
BY_REF = or_(USERS.c.id == bindparam("ref"), USERS.c.artist_name_key == bindparam("ref_key"))
"""Where-clause of a user by id or by artist name; its parameters come from `ref_params`."""
_BY_REF = select(*USERS.c).where(BY_REF).limit(1)


def ref_params(ref: str) -> dict[str, str]:
    """The parameters of `BY_REF`."""
    return {"ref": ref, "ref_key": name_key(ref)}


def read_principal(conn: Connection, claims: AccessClaims) -> Principal | None:
    """The user and live device a verified token names, or None if either is gone."""
    params = {"user_id": claims.user_id, "device_id": claims.device_id}
    row = conn.execute(_PRINCIPAL, params).first()
    if row is None:
        return None
    split = len(USER_FIELDS)
    return Principal(
        user_from_row(row[:split]), device_from_row(row[split:]), claims.authenticated_at
    )


def read_live_devices(conn: Connection, user_id: str) -> list[Device]:
    """The user's device sign-ins that are not revoked, most recently used first."""
    return [device_from_row(row) for row in conn.execute(_LIVE_DEVICES, {"user_id": user_id})]


def read_user_by_ref(conn: Connection, ref: str) -> User | None:
    """A user by id, or by artist name in any case and spacing."""
    row = conn.execute(_BY_REF, ref_params(ref)).first()
    return None if row is None else user_from_row(row)


async def live_devices(tx: AsyncSession, user_id: str) -> list[Device]:
    """`read_live_devices` inside an ORM transaction (unattached objects)."""
    return await tx.run_sync(lambda session: read_live_devices(session.connection(), user_id))


async def find_by_ref(tx: AsyncSession, ref: str) -> User | None:
    """`read_user_by_ref` inside an ORM transaction (an unattached object)."""
    return await tx.run_sync(lambda session: read_user_by_ref(session.connection(), ref))


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
        # one read (no writer lock on SQLite); the objects are unattached, for reading only
        return await self._db.read(lambda conn: read_principal(conn, claims))
