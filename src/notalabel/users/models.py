"""User and refresh-token tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, text
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


def new_user_id() -> str:
    """A fresh opaque user id."""
    return f"usr_{uuid.uuid4().hex}"


class User(Base):
    """An artist: a musical identity with a signature pattern and music DNA."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_user_id)
    artist_name: Mapped[str] = mapped_column(String(32))
    # casefolded copy, unique, so "DreamyBeats" and "dreamybeats" cannot both exist
    artist_name_key: Mapped[str] = mapped_column(String(256), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    music_dna: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    signature_pattern: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    profile: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    login_method: Mapped[str | None] = mapped_column(String(32))
    # account-wide counter of failed logins from unknown clients since login_window_started_at
    # (an hour-long window); past the threshold, unknown clients are locked until this time
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    login_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    login_window_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Device(Base):
    """One sign-in on one device; its refresh tokens rotate, revoking it ends them all."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    login_method: Mapped[str] = mapped_column(String(32))
    device_type: Mapped[str] = mapped_column(String(16), default="unknown")
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the last time this sign-in was proven (password, passkey, recovery code, onboarding);
    # refreshing does not move it, so sensitive changes can ask for a recent proof
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RefreshToken(Base):
    """A refresh token, stored only as a hash; each use rotates it to a new one."""

    __tablename__ = "refresh_tokens"
    # the tokens still holding a sealed successor: what each refresh clears (migration 0006)
    __table_args__ = (
        Index(
            "ix_refresh_tokens_sealed_device",
            "device_id",
            sqlite_where=text("successor_sealed IS NOT NULL"),
            postgresql_where=text("successor_sealed IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # set when the token is exchanged; presenting it again means it leaked
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the successor, sealed with a key only this token derives, kept for the reuse grace window
    successor_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
