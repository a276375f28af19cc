"""Voice tables: the sealed signature with its settings and usage, challenges, pending samples
and the replay memory of recent attempts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, UTCDateTime, utcnow


class VoiceSignature(Base):
    """One artist's voiceprint (sealed), how it may be used and how it has been used."""

    __tablename__ = "voice_signatures"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # AES-GCM of {"embedding", "features", "samples"}: never stored or answered in the clear
    voiceprint: Mapped[bytes] = mapped_column(LargeBinary)
    quality: Mapped[float] = mapped_column(Float)
    sample_count: Mapped[int] = mapped_column(Integer)
    confidence_threshold: Mapped[float] = mapped_column(Float, default=0.85)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    require_humming: Mapped[bool] = mapped_column(Boolean, default=False)
    successful_auths: Mapped[int] = mapped_column(Integer, default=0)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # failures since the last success: past max_attempts voice login locks for a while
    failures_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
    average_confidence: Mapped[float | None] = mapped_column(Float)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoiceEnrolmentSample(Base):
    """A sample sent on its own, kept (sealed) until the artist has sent all three."""

    __tablename__ = "voice_enrolment_samples"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoiceChallenge(Base):
    """Four digits to say, for two minutes, once; user_id is None for an unknown artist."""

    __tablename__ = "voice_challenges"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    digits: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class VoiceAttemptPrint(Base):
    """The sealed replay fingerprint of a recent recording of an artist (login or enrolment)."""

    __tablename__ = "voice_attempt_prints"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
