"""One row per like, per counted listener, per comment and per comment like.

Each counter on `patterns` and `comments` moves in the same transaction as the row that
justifies it, with a conditional insert, so concurrent requests never count twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, UTCDateTime, utcnow


def new_comment_id() -> str:
    """A fresh public comment id."""
    return f"cmt_{uuid.uuid4().hex}"


class PatternLike(Base):
    """An artist likes a pattern (at most once)."""

    __tablename__ = "pattern_likes"

    pattern_id: Mapped[str] = mapped_column(
        ForeignKey("patterns.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PatternListen(Base):
    """When a listener's play of a pattern last counted (one count per 10 minutes)."""

    __tablename__ = "pattern_listens"

    pattern_id: Mapped[str] = mapped_column(
        ForeignKey("patterns.id", ondelete="CASCADE"), primary_key=True
    )
    # "usr_…" for a signed-in listener, else a keyed hash of the client address
    listener: Mapped[str] = mapped_column(String(80), primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Comment(Base):
    """A comment on a pattern."""

    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_pattern_created", "pattern_id", "created_at", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_comment_id)
    pattern_id: Mapped[str] = mapped_column(ForeignKey("patterns.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentLike(Base):
    """An artist likes a comment (at most once)."""

    __tablename__ = "comment_likes"

    comment_id: Mapped[str] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
