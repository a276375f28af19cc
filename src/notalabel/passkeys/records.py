"""Reading passkeys and the artist's user handle inside a caller's transaction."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from webauthn.helpers import bytes_to_base64url

from notalabel.db import utcnow
from notalabel.passkeys.models import Passkey, PasskeyUserHandle
from notalabel.passkeys.schemas import PasskeyOut


def passkey_out(passkey: Passkey) -> PasskeyOut:
    """A passkey as the API shows it."""
    return PasskeyOut(
        id=passkey.id,
        name=passkey.name,
        transports=list(passkey.transports),
        backed_up=passkey.backed_up,
        created_at=passkey.created_at,
        last_used_at=passkey.last_used_at,
    )


async def passkeys_of(tx: AsyncSession, user_id: str) -> list[Passkey]:
    """The artist's passkeys, oldest first."""
    rows = await tx.scalars(
        select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at, Passkey.id)
    )
    return list(rows)


async def user_handle(tx: AsyncSession, user_id: str) -> str:
    """The artist's WebAuthn user handle, made on first use."""
    handle = await tx.scalar(
        select(PasskeyUserHandle.handle).where(PasskeyUserHandle.user_id == user_id)
    )
    if handle is not None:
        return handle
    fresh = bytes_to_base64url(secrets.token_bytes(32))
    try:
        # a savepoint, so a concurrent first registration only costs a re-read
        async with tx.begin_nested():
            tx.add(PasskeyUserHandle(user_id=user_id, handle=fresh, created_at=utcnow()))
    except IntegrityError:
        existing = await tx.scalar(
            select(PasskeyUserHandle.handle).where(PasskeyUserHandle.user_id == user_id)
        )
        if existing is None:
            raise
        return existing
    return fresh
