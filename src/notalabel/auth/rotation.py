"""Refresh-token rotation with a reuse grace window, as one Core unit of work (`Database.run`).

Every refresh runs the same few statements, built once here; only their parameters change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from notalabel.auth.events import RefreshTokenReused
from notalabel.auth.refresh_grace import open_successor, seal_successor, within_grace
from notalabel.auth.security_log import (
    REFRESH_TOKEN_REUSED,
    SecurityEvent,
    insert_security_event,
)
from notalabel.db import utcnow
from notalabel.security import TokenService, hash_token
from notalabel.users.models import Device, RefreshToken, User
from notalabel.users.service import SignedIn, renew_sign_in

_TOKENS: Table = RefreshToken.__table__  # type: ignore[assignment]
_DEVICES: Table = Device.__table__  # type: ignore[assignment]
_USERS: Table = User.__table__  # type: ignore[assignment]

# The token row is locked (PostgreSQL) so concurrent presentations of one token queue and all
# see the first one's rotation; SQLite's compiler drops FOR UPDATE, and `Database.run`
# already runs one writer at a time there.
_LOOKUP = (
    select(
        _TOKENS.c.id.label("token_id"),
        _TOKENS.c.expires_at,
        _TOKENS.c.used_at,
        _TOKENS.c.successor_sealed,
        _DEVICES.c.id.label("device_id"),
        _DEVICES.c.revoked_at,
        _DEVICES.c.authenticated_at,
        _USERS.c.id.label("user_id"),
        _USERS.c.artist_name,
    )
    .select_from(
        _TOKENS.join(_DEVICES, _DEVICES.c.id == _TOKENS.c.device_id).join(
            _USERS, _USERS.c.id == _DEVICES.c.user_id
        )
    )
    .where(_TOKENS.c.token_hash == bindparam("token_hash"))
    .with_for_update(of=_TOKENS)
)
_MARK_USED = (
    update(_TOKENS)
    .where(_TOKENS.c.id == bindparam("token_id"))
    .values(used_at=bindparam("now"), successor_sealed=bindparam("sealed"))
)
_TOUCH_DEVICE = (
    update(_DEVICES)
    .where(_DEVICES.c.id == bindparam("device"))
    .values(last_used_at=bindparam("now"))
)
# past the grace window a sealed successor is only a liability: drop it
_CLEAR_STALE_SEALS = (
    update(_TOKENS)
    .where(
        _TOKENS.c.device_id == bindparam("device"),
        _TOKENS.c.successor_sealed.is_not(None),
        _TOKENS.c.used_at < bindparam("cutoff"),
    )
    .values(successor_sealed=None)
)
_DROP_SEAL = (
    update(_TOKENS).where(_TOKENS.c.id == bindparam("token_id")).values(successor_sealed=None)
)
_REVOKE_DEVICE = (
    update(_DEVICES).where(_DEVICES.c.id == bindparam("device")).values(revoked_at=bindparam("now"))
)


@dataclass(frozen=True, slots=True)
class Rotation:
    """What presenting a refresh token led to: new tokens, or none and maybe a reuse event."""

    signed: SignedIn | None
    reused: RefreshTokenReused | None = None
    logged: SecurityEvent | None = None


def rotate(
    conn: Connection, tokens: TokenService, presented: str, *, grace_seconds: int
) -> Rotation:
    """Rotate a fresh token; hand a just-rotated one its sealed successor; revoke on real reuse.

    The whole exchange is one transaction: run it with `Database.run`.
    """
    row = conn.execute(_LOOKUP, {"token_hash": hash_token(presented)}).first()
    if row is None or row.revoked_at is not None:
        return Rotation(None)
    # read the clock only once the lock is held, so it is never before a racer's rotation
    now = utcnow()
    if row.used_at is None:
        if row.expires_at <= now:
            return Rotation(None)
        return Rotation(_rotate_fresh(conn, tokens, presented, row, now, grace_seconds))
    if row.successor_sealed is not None and within_grace(row.used_at, now, grace_seconds):
        successor = open_successor(presented, row.successor_sealed)
        if successor is not None:
            # a concurrent or retried refresh of the same token: the same successor again
            access = tokens.issue_access(
                row.user_id, row.artist_name, row.device_id, row.authenticated_at
            )
            expires_in = int(tokens.access_ttl.total_seconds())
            return Rotation(SignedIn(access, successor, expires_in, row.device_id))
    if row.successor_sealed is not None:
        conn.execute(_DROP_SEAL, {"token_id": row.token_id})
    conn.execute(_REVOKE_DEVICE, {"device": row.device_id, "now": now})
    entry = insert_security_event(
        conn,
        row.user_id,
        REFRESH_TOKEN_REUSED,
        device_id=row.device_id,
        details={"usedSecondsAgo": int((now - row.used_at).total_seconds())},
    )
    return Rotation(None, RefreshTokenReused(user_id=row.user_id, device_id=row.device_id), entry)


def _rotate_fresh(  # noqa: PLR0917
    conn: Connection,
    tokens: TokenService,
    presented: str,
    row: Any,
    now: datetime,
    grace_seconds: int,
) -> SignedIn:
    signed = renew_sign_in(
        conn,
        tokens,
        user_id=row.user_id,
        artist_name=row.artist_name,
        device_id=row.device_id,
        authenticated_at=row.authenticated_at,
    )
    sealed = seal_successor(presented, signed.refresh_token)
    conn.execute(_MARK_USED, {"token_id": row.token_id, "now": now, "sealed": sealed})
    conn.execute(_TOUCH_DEVICE, {"device": row.device_id, "now": now})
    cutoff = now - timedelta(seconds=grace_seconds)
    conn.execute(_CLEAR_STALE_SEALS, {"device": row.device_id, "cutoff": cutoff})
    return signed
