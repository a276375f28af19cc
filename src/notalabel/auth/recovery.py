"""Stored recovery codes: issue a set, spend one, count what is left."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.auth.recovery_codes import code_digest, matching_digest, new_code_set
from notalabel.auth.security_log import (
    RECOVERY_CODES_GENERATED,
    SecurityEvent,
    insert_security_event,
)
from notalabel.db import Base, UTCDateTime, utcnow
from notalabel.users.service import ClientInfo


class RecoveryCode(Base):
    """One single-use recovery code of an account, stored only as its digest."""

    __tablename__ = "recovery_codes"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@dataclass(frozen=True, slots=True)
class IssuedCodes:
    """A fresh set: the codes to show once, and the log entry that records it."""

    codes: list[str]
    entry: SecurityEvent


async def issue_recovery_codes(
    tx: AsyncSession, user_id: str, *, device_id: str | None, client: ClientInfo
) -> IssuedCodes:
    """Replace the account's codes with a new set and log it, inside the caller's transaction."""
    return await tx.run_sync(
        lambda session: replace_recovery_codes(
            session.connection(), user_id, device_id=device_id, client=client
        )
    )


def replace_recovery_codes(
    conn: Connection, user_id: str, *, device_id: str | None, client: ClientInfo
) -> IssuedCodes:
    """`issue_recovery_codes` with Core, inside `Database.run`."""
    now = utcnow()
    codes = new_code_set()
    conn.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    conn.execute(
        insert(RecoveryCode),
        [
            {
                "id": f"rc_{uuid.uuid4().hex}",
                "user_id": user_id,
                "code_hash": code_digest(user_id, code),
                "created_at": now,
            }
            for code in codes
        ],
    )
    entry = insert_security_event(
        conn,
        user_id,
        RECOVERY_CODES_GENERATED,
        device_id=device_id,
        ip_address=client.ip_address,
        user_agent=client.user_agent,
        details={"count": len(codes)},
    )
    return IssuedCodes(codes, entry)


async def spend_recovery_code(tx: AsyncSession, user_id: str, typed: str) -> bool:
    """Use up the matching unused code; False when none matches (or a racer spent it first)."""
    rows = (
        await tx.execute(
            select(RecoveryCode.id, RecoveryCode.code_hash).where(
                RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
            )
        )
    ).all()
    found = matching_digest(code_digest(user_id, typed), [digest for _, digest in rows])
    if found is None:
        return False
    code_id = next(row_id for row_id, digest in rows if digest == found)
    # the guard on used_at makes two concurrent uses of one code end with one winner
    result = await tx.execute(
        update(RecoveryCode)
        .where(RecoveryCode.id == code_id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return getattr(result, "rowcount", 0) == 1


async def codes_left(tx: AsyncSession, user_id: str) -> tuple[int, datetime | None]:
    """How many unused codes the account has, and when its set was made."""
    row = (
        await tx.execute(
            select(
                func.count(RecoveryCode.id).filter(RecoveryCode.used_at.is_(None)),
                func.max(RecoveryCode.created_at),
            ).where(RecoveryCode.user_id == user_id)
        )
    ).one()
    return int(row[0] or 0), row[1]
