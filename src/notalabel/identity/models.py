"""Identity onboarding session table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


class IdentitySession(Base):
    """One artist's onboarding conversation, resumable until it completes or expires."""

    __tablename__ = "identity_sessions"
    __table_args__ = (Index("ix_identity_sessions_name_key", "tentative_name_key"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    current_step: Mapped[str] = mapped_column(String(16), default="discovery")
    seed: Mapped[int] = mapped_column(Integer)
    user_responses: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)
    generated_patterns: Mapped[list[dict[str, Any]]] = mapped_column(JSONDoc, default=list)
    music_dna: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    tentative_artist_name: Mapped[str | None] = mapped_column(String(32))
    tentative_name_key: Mapped[str | None] = mapped_column(String(256))
    name_alternatives: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    client_info: Mapped[dict[str, Any]] = mapped_column(JSONDoc, default=dict)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # optimistic lock: two concurrent steps on one session cannot both apply
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SignatureFingerprint(Base):
    """The event content of the signature an onboarding gave an account: one account each.

    The unique key is what keeps two artists from holding the same signature; it is
    freed when the account is erased (the row goes with the user).
    """

    __tablename__ = "signature_fingerprints"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
