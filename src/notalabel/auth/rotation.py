"""Refresh-token rotation with a reuse grace window, inside the caller's locked transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.events import RefreshTokenReused
from notalabel.auth.refresh_grace import open_successor, seal_successor, within_grace
from notalabel.auth.security_log import (
    REFRESH_TOKEN_REUSED,
    SecurityEvent,
    record_security_event,
)
from notalabel.security import TokenService
from notalabel.users.models import Device, RefreshToken, User
from notalabel.users.service import SignedIn, issue_tokens


@dataclass(frozen=True, slots=True)
class Rotation:
    """What presenting a refresh token led to: new tokens, or none and maybe a reuse event."""

    signed: SignedIn | None
    reused: RefreshTokenReused | None = None
    logged: SecurityEvent | None = None


async def rotate(
    tx: AsyncSession,
    tokens: TokenService,
    presented: str,
    rows: tuple[RefreshToken, Device, User],
    *,
    now: datetime,
    grace_seconds: int,
) -> Rotation:
    """Rotate a fresh token; hand a just-rotated one its sealed successor; revoke on real reuse.

    The caller holds the token row locked (FOR UPDATE, or SQLite's BEGIN IMMEDIATE), so
    concurrent presentations of one token are serialized and all see the first one's rotation.
    """
    token, device, user = rows
    if device.revoked_at is not None:
        return Rotation(None)
    if token.used_at is None:
        if token.expires_at <= now:
            return Rotation(None)
        token.used_at = now
        device.last_used_at = now
        signed = issue_tokens(tx, tokens, user, device)
        token.successor_sealed = seal_successor(presented, signed.refresh_token)
        await _clear_stale_seals(tx, device.id, now - timedelta(seconds=grace_seconds))
        return Rotation(signed)
    if token.successor_sealed is not None and within_grace(token.used_at, now, grace_seconds):
        successor = open_successor(presented, token.successor_sealed)
        if successor is not None:
            # a concurrent or retried refresh of the same token: the same successor again
            access = tokens.issue_access(
                user.id, user.artist_name, device.id, device.authenticated_at
            )
            expires_in = int(tokens.access_ttl.total_seconds())
            return Rotation(SignedIn(access, successor, expires_in, device.id))
    token.successor_sealed = None
    device.revoked_at = now
    entry = record_security_event(
        tx,
        user.id,
        REFRESH_TOKEN_REUSED,
        device_id=device.id,
        details={"usedSecondsAgo": int((now - token.used_at).total_seconds())},
    )
    return Rotation(None, RefreshTokenReused(user_id=user.id, device_id=device.id), entry)


async def _clear_stale_seals(tx: AsyncSession, device_id: str, cutoff: datetime) -> None:
    # past the grace window a sealed successor is only a liability: drop it
    await tx.execute(
        update(RefreshToken)
        .where(
            RefreshToken.device_id == device_id,
            RefreshToken.successor_sealed.is_not(None),
            RefreshToken.used_at < cutoff,
        )
        .values(successor_sealed=None)
    )
