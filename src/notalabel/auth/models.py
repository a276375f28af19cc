"""Tables of sign-in hardening: email codes, known clients and per-client login locks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, UTCDateTime, utcnow


class EmailVerification(Base):
    """A code sent to an address; the address is attached only when the code comes back."""

    __tablename__ = "email_verifications"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    # HMAC of the 6-digit code keyed with the server secret: a dump alone cannot brute-force it
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    ip_address: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set when the code is used, replaced by a newer one, or killed by too many wrong tries
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KnownClient(Base):
    """A client that once signed in to the account, proven by its device key (hash only)."""

    __tablename__ = "known_clients"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginLock(Base):
    """Failed password sign-ins in a row from one client to one account, and its lock."""

    __tablename__ = "login_locks"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # "device:<known client id>" or "ip:<address>"
    client_key: Mapped[str] = mapped_column(String(96), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
