"""The account security log: every sensitive change, written in the change's own transaction.

How to log a change (any feature):

    async with db.transaction() as tx:
        ...  # the change itself
        entry = record_security_event(
            tx, user_id, PASSWORD_CHANGED, device_id=principal.device.id,
            ip_address=client.ip_address, user_agent=client.user_agent,
        )
        events = [announcement(entry)]
        await bus.stage_in(tx, events)  # the outbox, in the change's transaction
    await bus.deliver(events)  # after the commit

The entry commits or rolls back with the change. `announcement` is the domain event
`AccountSecurityChanged`, which tells the artist's other devices (realtime push later); until
they acknowledge it, `GET /api/users/me` on every other device lists it in `securityAlerts`.
`details` is shown to the artist and exported: never put a secret (password, code, token) in it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow
from notalabel.events import Event

# The kinds of entry. Recorded by their owners: sign-in hardening (auth/service.py) records
# credentials, password, email, lock and reuse; passkeys record theirs; auth/reauth.py the rest.
CREDENTIALS_SET = "credentials_set"  # a first password (and email) attached
PASSWORD_CHANGED = "password_changed"  # noqa: S105
EMAIL_CHANGED = "email_changed"
RECOVERY_CODES_GENERATED = "recovery_codes_generated"  # details: {"count"}
RECOVERY_CODE_USED = "recovery_code_used"  # details: {"purpose", "remaining"}
RECOVERY_FAILED = "recovery_failed"  # a wrong recovery code for this account
REAUTHENTICATED = "reauthenticated"  # details: {"method": "password" | "recovery_code"}
REAUTHENTICATION_FAILED = "reauthentication_failed"  # details: {"method"}
SIGNED_IN_WITH_RECOVERY_CODE = "signed_in_with_recovery_code"
PASSKEY_ADDED = "passkey_added"
PASSKEY_REMOVED = "passkey_removed"
DEVICE_REVOKED = "device_revoked"  # details: {"revokedDevice"}
REFRESH_TOKEN_REUSED = "refresh_token_reused"  # noqa: S105
ACCOUNT_LOCKED = "account_locked"  # details: {"until"}
KINDS = frozenset(
    {
        CREDENTIALS_SET,
        PASSWORD_CHANGED,
        EMAIL_CHANGED,
        RECOVERY_CODES_GENERATED,
        RECOVERY_CODE_USED,
        RECOVERY_FAILED,
        REAUTHENTICATED,
        REAUTHENTICATION_FAILED,
        SIGNED_IN_WITH_RECOVERY_CODE,
        PASSKEY_ADDED,
        PASSKEY_REMOVED,
        DEVICE_REVOKED,
        REFRESH_TOKEN_REUSED,
        ACCOUNT_LOCKED,
    }
)


class SecurityEvent(Base):
    """One sensitive change to an account, as its owner can read it back."""

    __tablename__ = "security_events"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # one of KINDS, or a kind a newer feature documents beside them (passkey sign-ins, ...)
    kind: Mapped[str] = mapped_column(String(48))
    # the device sign-in that made the change (None when it came from outside a sign-in)
    device_id: Mapped[str | None] = mapped_column(String(40))
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class SecurityAck(Base):
    """Up to when one device sign-in has seen the security alerts of its account."""

    __tablename__ = "security_acks"

    device_id: Mapped[str] = mapped_column(
        ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True
    )
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@dataclass(frozen=True, kw_only=True)
class AccountSecurityChanged(Event):
    """A security-log entry was committed; the artist's other devices should be told."""

    user_id: str
    kind: str
    device_id: str | None


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
        **_entry_values(user_id, kind, device_id, ip_address, user_agent, details)
    )
    tx.add(entry)
    return entry


def insert_security_event(
    conn: Connection,
    user_id: str,
    kind: str,
    *,
    device_id: str | None = None,
    ip_address: str = "",
    user_agent: str = "",
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """`record_security_event` with Core, inside `Database.run`."""
    values = _entry_values(user_id, kind, device_id, ip_address, user_agent, details)
    conn.execute(insert(SecurityEvent), [values])
    return SecurityEvent(**values)


def _entry_values(  # noqa: PLR0917
    user_id: str,
    kind: str,
    device_id: str | None,
    ip_address: str,
    user_agent: str,
    details: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "id": f"sev_{uuid.uuid4().hex}",
        "user_id": user_id,
        "kind": kind,
        "device_id": device_id,
        "ip_address": ip_address[:64],
        "user_agent": user_agent[:512],
        "details": details or {},
        "created_at": utcnow(),
    }


def announcement(entry: SecurityEvent) -> AccountSecurityChanged:
    """The event to stage in the transaction that holds `entry`."""
    return AccountSecurityChanged(user_id=entry.user_id, kind=entry.kind, device_id=entry.device_id)
