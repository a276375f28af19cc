"""Notifications (migration 0013): one row per group, its actors in their own table."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Table, text
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, UTCDateTime


class Kind(StrEnum):
    """What happened to the recipient."""

    PATTERN_LIKED = "pattern_liked"
    PATTERN_COMMENTED = "pattern_commented"
    PATTERN_REMIXED = "pattern_remixed"
    NEW_FOLLOWER = "new_follower"
    COLLABORATION_REQUESTED = "collaboration_requested"
    COLLABORATION_ACCEPTED = "collaboration_accepted"


def new_notification_id() -> str:
    """A fresh opaque notification id."""
    return f"ntf_{uuid.uuid4().hex}"


_UNREAD = text("read_at IS NULL")


class Notification(Base):
    """`actor_count` artists did `kind` to `subject_id`, latest at `updated_at`."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_updated", "recipient_id", "updated_at", "id"),
        Index(
            "ix_notifications_unread_group", "recipient_id", "kind", "subject_id",
            sqlite_where=_UNREAD, postgresql_where=_UNREAD,
        ),
    )  # fmt: skip

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    recipient_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("users.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(64))
    actor_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationActor(Base):
    """One artist behind a notification; the key makes a repeated event a no-op."""

    __tablename__ = "notification_actors"

    notification_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("notifications.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    acted_at: Mapped[datetime] = mapped_column(UTCDateTime())


NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]
ACTORS: Table = NotificationActor.__table__  # type: ignore[assignment]
