"""The pattern library's tables: patterns and the versions a refinement keeps."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


def new_pattern_id() -> str:
    """A fresh public pattern id."""
    return f"pat_{uuid.uuid4().hex}"


class Pattern(Base):
    """A saved Strudel pattern with its model, so it can be refined or remixed later."""

    __tablename__ = "patterns"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_pattern_id)
    creator_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    strudel_code: Mapped[str] = mapped_column(Text)
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    bpm: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(32))
    genre: Mapped[str] = mapped_column(String(32), index=True)
    mood: Mapped[str] = mapped_column(String(32))
    tags: Mapped[list[str]] = mapped_column(JSONDoc, default=list)
    is_signature: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    is_remixable: Mapped[bool] = mapped_column(Boolean, default=True)
    original_pattern_id: Mapped[str | None] = mapped_column(
        ForeignKey("patterns.id", ondelete="SET NULL")
    )
    remix_type: Mapped[str | None] = mapped_column(String(16))
    ai_generated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    prompt: Mapped[str | None] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(Integer, default=5, server_default=text("5"))
    time_signature: Mapped[str] = mapped_column(String(8), default="4/4", server_default="4/4")
    # the number of the version the pattern shows now (pattern_versions keeps every one)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    # counters kept in step with their rows in the same transaction (engagement/)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    plays: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    remixes: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_patterns_public_created", "is_public", "created_at"),
        # migration 0009: the library and the following feed; also serves creator_id lookups
        Index(
            "ix_patterns_creator_created_id",
            "creator_id",
            "created_at",
            "id",
            postgresql_include=["is_public"],
        ),
        Index("ix_patterns_original", "original_pattern_id"),
    )


class PatternVersion(Base):
    """One state of a pattern: the first, each refinement, each restore."""

    __tablename__ = "pattern_versions"
    __table_args__ = (UniqueConstraint("pattern_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    pattern_id: Mapped[str] = mapped_column(
        ForeignKey("patterns.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    strudel_code: Mapped[str] = mapped_column(Text)
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONDoc)
    description: Mapped[str] = mapped_column(Text, default="")
    bpm: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(32))
    # what made this version: "created", the refinement's words, or "restored N"
    change: Mapped[str] = mapped_column(Text, default="created")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
