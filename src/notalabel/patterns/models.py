"""Pattern table."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, JSONDoc, UTCDateTime, utcnow


def new_pattern_id() -> str:
    """A fresh public pattern id."""
    return f"pat_{uuid.uuid4().hex}"


class Pattern(Base):
    """A saved Strudel pattern with its model, so it can be refined or remixed later."""

    __tablename__ = "patterns"

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_pattern_id)
    creator_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
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
    likes: Mapped[int] = mapped_column(Integer, default=0)
    plays: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
