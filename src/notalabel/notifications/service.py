"""Reading and marking notifications; writing them is store.py's, called by handlers.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.db import Database, utcnow
from notalabel.discovery import cursor
from notalabel.notifications.models import ACTORS, NOTIFICATIONS, Kind
from notalabel.notifications.schemas import (
    Actor,
    MarkRead,
    NotificationOut,
    NotificationPage,
    UnreadCount,
)
from notalabel.notifications.store import unread_count
from notalabel.notifications.wording import message
from notalabel.patterns.views import titles_of
from notalabel.users.directory import read_names

CURSOR_KIND = "notifications"
NAMED_ACTORS = 3
_PATTERN_KINDS = {Kind.PATTERN_LIKED, Kind.PATTERN_COMMENTED, Kind.PATTERN_REMIXED}
_N = NOTIFICATIONS.c


class NotificationService:
    """An artist's notifications: a page with the unread count, and marking them read."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(self, user_id: str, limit: int, after: str | None) -> NotificationPage:
        """Newest activity first."""
        position = None if after is None else cursor.decode(CURSOR_KIND, after, timed=True)
        return await self._db.read(lambda conn: _page(conn, user_id, limit, position))

    async def mark_read(self, user_id: str, which: MarkRead) -> UnreadCount:
        """Mark some (unknown or others' ids are ignored) or all as read."""

        def work(conn: Connection) -> UnreadCount:
            mine = sa.and_(_N.recipient_id == user_id, _N.read_at.is_(None))
            if which.ids is not None:
                mine = sa.and_(mine, _N.id.in_(which.ids))
            conn.execute(NOTIFICATIONS.update().where(mine).values(read_at=utcnow()))
            return UnreadCount(unread_count=unread_count(conn, user_id))

        return await self._db.run(work)

    async def unread(self, user_id: str) -> UnreadCount:
        """How many are unread."""
        return UnreadCount(unread_count=await self._db.read(lambda c: unread_count(c, user_id)))


def _page(
    conn: Connection, user_id: str, limit: int, after: cursor.Position | None
) -> NotificationPage:
    query = sa.select(NOTIFICATIONS).where(_N.recipient_id == user_id)
    if after is not None:
        query = query.where(
            sa.or_(
                _N.updated_at < after.key,
                sa.and_(_N.updated_at == after.key, _N.id < after.id),
            )
        )
    rows = conn.execute(query.order_by(_N.updated_at.desc(), _N.id.desc()).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    actors = _latest_actors(conn, [row.id for row in rows])
    names = read_names(conn, [a for ids in actors.values() for a in ids])
    titles = titles_of(conn, [row.subject_id for row in rows if Kind(row.kind) in _PATTERN_KINDS])
    items = [_out(row, actors.get(row.id, []), names, titles) for row in rows]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = cursor.encode(CURSOR_KIND, last.updated_at, last.id)
    return NotificationPage(
        items=items, unread_count=unread_count(conn, user_id), next_cursor=next_cursor
    )


def _latest_actors(conn: Connection, ids: Sequence[str]) -> dict[str, list[str]]:
    """Up to NAMED_ACTORS actor ids per notification, the latest first."""
    if not ids:
        return {}
    rank = sa.func.row_number().over(
        partition_by=ACTORS.c.notification_id,
        order_by=(ACTORS.c.acted_at.desc(), ACTORS.c.actor_id),
    )
    ranked = (
        sa.select(ACTORS.c.notification_id, ACTORS.c.actor_id, rank.label("rank"))
        .where(ACTORS.c.notification_id.in_(ids))
        .subquery()
    )
    query = (
        sa.select(ranked.c.notification_id, ranked.c.actor_id)
        .where(ranked.c.rank <= NAMED_ACTORS)
        .order_by(ranked.c.notification_id, ranked.c.rank)
    )
    found: dict[str, list[str]] = defaultdict(list)
    for row in conn.execute(query):
        found[row.notification_id].append(row.actor_id)
    return found


def _out(
    row: Any, actor_ids: list[str], names: dict[str, str], titles: dict[str, str]
) -> NotificationOut:
    kind = Kind(row.kind)
    actors = [Actor(id=a, artist_name=names[a]) for a in actor_ids if a in names]
    is_pattern = kind in _PATTERN_KINDS
    title = titles.get(row.subject_id) if is_pattern else None
    shown = [a.artist_name for a in actors]
    text = message(kind, shown, row.actor_count, title)
    return NotificationOut(
        id=row.id,
        kind=kind,
        message=text,
        subject_id=row.subject_id or None,
        subject_title=title,
        actors=actors,
        actor_count=row.actor_count,
        read=row.read_at is not None,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
