"""Notifications as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool, model_validator

from notalabel.notifications.models import Kind
from notalabel.schemas import ApiModel, ApiOutput

MAX_IDS = 100
NotificationId = Annotated[str, Field(min_length=1, max_length=64)]


class Actor(ApiOutput):
    """An artist behind a notification."""

    id: str
    artist_name: str


class NotificationOut(ApiOutput):
    """One notification: who did what to which subject, and when last."""

    id: str
    kind: Kind
    message: str
    subject_id: str | None
    subject_title: str | None
    actors: list[Actor]
    actor_count: int
    read: bool
    created_at: datetime
    updated_at: datetime


class NotificationPage(ApiOutput):
    """A page of notifications, newest activity first, with the unread count."""

    items: list[NotificationOut]
    unread_count: int
    next_cursor: str | None


class MarkRead(ApiModel):
    """Which notifications to mark read: some by id, or all."""

    ids: (
        Annotated[
            list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=MAX_IDS)
        ]
        | None
    ) = None
    all: StrictBool = False

    @model_validator(mode="after")
    def _ids_or_all(self) -> MarkRead:
        if (self.ids is None) == (not self.all):
            raise ValueError("send either ids (a list of notification ids) or all: true")
        return self


class UnreadCount(ApiOutput):
    """How many notifications are unread."""

    unread_count: int
