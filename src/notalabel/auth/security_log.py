"""The account security log: every sensitive change, written in the change's own transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


class SecurityEvent(Base):
    """One sensitive change to an account, as its owner can read it back."""

    __tablename__ = "security_events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # e.g. credentials_set, password_changed, email_changed, recovery_codes_generated,
    # recovery_code_used, passkey_added, passkey_removed, device_revoked, refresh_token_reused
    kind: Mapped[str] = mapped_column(String(48))
    # the device sign-in that made the change (None when it came from outside a sign-in)
    device_id: Mapped[str | None] = mapped_column(String(40))
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def record_security_event(
    tx: AsyncSession,
    user_id: str,
    kind: str,
    *,
    device_id: str | None = None,
    ip_address: str = "",
    user_agent: str = "",
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Add a security-log entry to the caller's transaction (never secrets in `details`)."""
    entry = SecurityEvent(
        id=f"sev_{uuid.uuid4().hex}",
        user_id=user_id,
        kind=kind,
        device_id=device_id,
        ip_address=ip_address[:64],
        user_agent=user_agent[:512],
        details=details or {},
        created_at=utcnow(),
    )
    tx.add(entry)
    return entry
