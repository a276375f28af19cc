"""Collaboration requests: one row per request, its answer in `status`."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from notalabel.db import Base, UTCDateTime, utcnow


class RequestStatus(StrEnum):
    """Where a collaboration request stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


def new_request_id() -> str:
    """A fresh opaque request id."""
    return f"col_{uuid.uuid4().hex}"


def pair_key(a_id: str, b_id: str) -> str:
    """The same key for two artists whichever asked whom."""
    first, second = sorted((a_id, b_id))
    return f"{first} {second}"


_PENDING = text("status = 'pending'")
_ACCEPTED = text("status = 'accepted'")


class CollaborationRequest(Base):
    """`requester_id` asked `recipient_id` to collaborate; accepted ones are collaborations."""

    __tablename__ = "collaboration_requests"
    __table_args__ = (
        CheckConstraint("requester_id <> recipient_id", name="not_self"),
        CheckConstraint(
            "status IN ('pending', 'accepted', 'declined', 'withdrawn')", name="known_status"
        ),
        # at most one open request and one collaboration per pair, whoever asked
        Index(
            "ux_collaboration_requests_pending_pair", "pair_key", unique=True,
            sqlite_where=_PENDING, postgresql_where=_PENDING,
        ),
        Index(
            "ux_collaboration_requests_accepted_pair", "pair_key", unique=True,
            sqlite_where=_ACCEPTED, postgresql_where=_ACCEPTED,
        ),
        Index("ix_collaboration_requests_recipient", "recipient_id", "status", "created_at"),
        Index("ix_collaboration_requests_requester", "requester_id", "status", "created_at"),
    )  # fmt: skip

    id: Mapped[str] = mapped_column(String(40), primary_key=True, default=new_request_id)
    requester_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    pair_key: Mapped[str] = mapped_column(String(90))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.PENDING.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
