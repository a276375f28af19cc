"""User and refresh-token tables."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
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
    artist_name_key: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    music_dna: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    signature_pattern: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    profile: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    preferences: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    login_method: Mapped[str | None] = mapped_column(String(32))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class RefreshToken(Base):
    """A refresh token, stored only as a hash; tokens of one sign-in share a family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_user_id", "user_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    family_id: Mapped[str] = mapped_column(String(40), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    login_method: Mapped[str] = mapped_column(String(32))
    device_type: Mapped[str] = mapped_column(String(16), default="unknown")
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
