"""What the sign-in side of an account adds to the artist's data export (never a secret)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.models import EmailVerification, KnownClient
from notalabel.auth.recovery import codes_left


async def sign_in_state_for_export(tx: AsyncSession, user_id: str) -> dict[str, Any]:
    """Recovery codes left, known sign-in clients and email codes sent, without keys or codes."""
    remaining, generated_at = await codes_left(tx, user_id)
    clients = await tx.scalars(
        select(KnownClient).where(KnownClient.user_id == user_id).order_by(KnownClient.created_at)
    )
    codes = await tx.scalars(
        select(EmailVerification)
        .where(EmailVerification.user_id == user_id)
        .order_by(EmailVerification.created_at)
    )
    return {
        "recoveryCodes": {
            "remaining": remaining,
            "generatedAt": generated_at.isoformat() if generated_at else None,
        },
        "knownClients": [
            {
                "id": c.id,
                "createdAt": c.created_at.isoformat(),
                "lastUsedAt": c.last_used_at.isoformat(),
            }
            for c in clients
        ],
        "emailVerifications": [
            {
                "email": v.email,
                "ipAddress": v.ip_address,
                "createdAt": v.created_at.isoformat(),
                "expiresAt": v.expires_at.isoformat(),
                "closedAt": v.closed_at.isoformat() if v.closed_at else None,
            }
            for v in codes
        ],
    }
