"""Ceremony challenges kept in the database: single use, short-lived, shared by all workers."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from notalabel.passkeys.models import PasskeyChallenge
from notalabel.passkeys.verification import CHALLENGE_TTL

REGISTRATION = "registration"
AUTHENTICATION = "authentication"


@dataclass(frozen=True, slots=True)
class PendingChallenge:
    """A challenge taken out of the store: who it was for and its bytes."""

    user_id: str | None
    challenge: bytes


async def issue_challenge(
    tx: AsyncSession, purpose: str, user_id: str | None, now: datetime
) -> tuple[str, bytes]:
    """Store a fresh random challenge; its id and bytes."""
    # expired challenges are never taken, so clearing them here keeps the table small
    await tx.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at <= now))
    raw = secrets.token_bytes(32)
    row = PasskeyChallenge(
        id=f"pkc_{uuid.uuid4().hex}",
        purpose=purpose,
        user_id=user_id,
        challenge=bytes_to_base64url(raw),
        created_at=now,
        expires_at=now + CHALLENGE_TTL,
    )
    tx.add(row)
    return row.id, raw


async def take_challenge(
    tx: AsyncSession,
    purpose: str,
    now: datetime,
    *,
    challenge_id: str | None = None,
    value: str | None = None,
    user_id: str | None = None,
) -> PendingChallenge | None:
    """Delete and return a live challenge by id or by value (and owner); None if there is none.

    One DELETE ... RETURNING, so two workers racing on one challenge cannot both get it.
    """
    query = delete(PasskeyChallenge).where(
        PasskeyChallenge.purpose == purpose, PasskeyChallenge.expires_at > now
    )
    if challenge_id is not None:
        query = query.where(PasskeyChallenge.id == challenge_id)
    if value is not None:
        query = query.where(PasskeyChallenge.challenge == value)
    if user_id is not None:
        query = query.where(PasskeyChallenge.user_id == user_id)
    if challenge_id is None and value is None:
        raise ValueError("take_challenge needs a challenge id or value")
    rows = (
        await tx.execute(query.returning(PasskeyChallenge.user_id, PasskeyChallenge.challenge))
    ).all()
    if len(rows) != 1:
        return None
    owner, challenge = rows[0]
    return PendingChallenge(owner, base64url_to_bytes(challenge))
