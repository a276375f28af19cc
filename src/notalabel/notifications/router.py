"""Notification routes: the signed-in artist's list, unread count, and marking read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notalabel.deps import ContainerDep, CurrentUser
from notalabel.discovery.cursor import MAX_CURSOR_LENGTH
from notalabel.notifications.schemas import MarkRead, NotificationPage, UnreadCount
from notalabel.schemas import error_responses

router = APIRouter(tags=["notifications"])

Limit = Annotated[int, Query(ge=1, le=100, description="Page size, 1 to 100")]
PageCursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_LENGTH, description="`nextCursor` of the previous page"),
]


@router.get(
    "/api/notifications", response_model=NotificationPage, responses=error_responses(401, 422)
)
async def notifications(
    me: CurrentUser, container: ContainerDep, limit: Limit = 20, cursor: PageCursor = None
) -> NotificationPage:
    """Your notifications, newest activity first, with how many are unread."""
    return await container.notifications.page(me.id, limit, cursor)


@router.get("/api/notifications/unread", response_model=UnreadCount, responses=error_responses(401))
async def unread(me: CurrentUser, container: ContainerDep) -> UnreadCount:
    """How many of your notifications are unread (for the bell)."""
    return await container.notifications.unread(me.id)


@router.post(
    "/api/notifications/read", response_model=UnreadCount, responses=error_responses(401, 422)
)
async def mark_read(me: CurrentUser, container: ContainerDep, body: MarkRead) -> UnreadCount:
    """Mark some notifications (`ids`) or all of them (`all: true`) as read."""
    return await container.notifications.mark_read(me.id, body)
