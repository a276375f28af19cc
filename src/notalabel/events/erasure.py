"""An account's erasure also removes the events that mention it (outbox rows, dead letters).

Event payloads are JSON, so the rows are found by the account id in their text. The erasure's
own UserDeleted event is staged after this step and kept until it is delivered and pruned
(an hour later): it carries the id alone. In production the Redis streams are cleaned by a
handler of that UserDeleted, after the erasure's commit (`forget_streamed_events`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from notalabel.events.outbox import DEAD_LETTERS, OUTBOX
from notalabel.events.streams import EventStreams


def forget_events_of(conn: Connection, user_id: str) -> int:
    """Delete the outbox rows and dead letters whose payload names `user_id`; how many."""
    escaped = user_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    removed = 0
    for table in (OUTBOX, DEAD_LETTERS):
        text = sa.cast(table.c.payload, sa.Text())
        mentions = text.like(f"%{escaped}%", escape="\\")
        removed += conn.execute(table.delete().where(mentions)).rowcount or 0
    return removed


async def erase_events(tx: AsyncSession, user_id: str) -> None:
    """`forget_events_of` inside the erasure's ORM transaction."""

    def run(session: Session) -> None:
        forget_events_of(session.connection(), user_id)

    await tx.run_sync(run)


def forget_streamed_events(streams: EventStreams) -> Callable[[Any], Awaitable[None]]:
    """A handler of UserDeleted (any event with `user_id`) that cleans the Redis streams."""

    async def forget(event: Any) -> None:
        await streams.forget(event.user_id, keep=event.name)

    return forget
