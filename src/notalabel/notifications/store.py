"""Writing notifications: one per burst of the same kind on the same subject, idempotent.

A new actor joins the recipient's unread notification of that kind and subject if it moved in
the last GROUP_WINDOW; otherwise a new notification starts. An event delivered twice finds its
actor already there (the same subject and moment) and changes nothing.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.notifications.models import ACTORS, NOTIFICATIONS, Kind, new_notification_id
from notalabel.notifications.wording import SETTING
from notalabel.social.service import blocked_pairs
from notalabel.users.directory import notification_settings_of

GROUP_WINDOW = timedelta(hours=1)


class Outcome(StrEnum):
    """What `record` did."""

    NOT_FOR_THEM = "not_for_them"  # their own action, a block, or their setting is off
    ALREADY_TOLD = "already_told"  # a redelivered event, or an actor already in the group
    TOLD = "told"


@dataclass(frozen=True, slots=True)
class Recorded:
    """What `record` did, and the recipient's unread count after it (None: not for them)."""

    outcome: Outcome
    unread: int | None


@dataclass(frozen=True, slots=True)
class Told:
    """That `actor_id` did `kind` to `subject_id` (of `recipient_id`), at `at`."""

    recipient_id: str
    kind: Kind
    subject_id: str
    actor_id: str
    at: datetime


def record_many(conn: Connection, items: Sequence[Told]) -> list[Recorded]:
    """Tell each recipient what its actor did, in order, in the caller's transaction."""
    others = [item for item in items if item.actor_id != item.recipient_id]
    # who wants to hear of what, and who blocked whom: a query each for the whole batch
    wanted = notification_settings_of(conn, {item.recipient_id for item in others})
    blocked = blocked_pairs(conn, {(item.recipient_id, item.actor_id) for item in others})

    def for_them(item: Told) -> bool:
        settings = wanted.get(item.recipient_id)
        return (
            item.actor_id != item.recipient_id
            and settings is not None
            and settings[SETTING[item.kind]]
            and frozenset((item.recipient_id, item.actor_id)) not in blocked
        )

    told = [for_them(item) for item in items]
    if any(told) and conn.dialect.name == "postgresql":
        # relays on several workers may deliver one burst at once: one group, exact counts.
        # The locks are taken in one order, in one statement, so two batches cannot deadlock
        keys = sorted({_lock_key(item) for item, yes in zip(items, told, strict=True) if yes})
        conn.execute(_LOCKS, {"keys": keys})
    return [_write(conn, item) if yes else Recorded(Outcome.NOT_FOR_THEM, None)
            for item, yes in zip(items, told, strict=True)]  # fmt: skip


def _lock_key(item: Told) -> int:
    return zlib.crc32(f"{item.recipient_id}|{item.kind}|{item.subject_id}".encode()) - 2**31


def _write(conn: Connection, item: Told) -> Recorded:
    # one round trip for what the decision needs (this runs for every like, under load)
    found = conn.execute(
        _PROBE,
        {"recipient": item.recipient_id, "kind": item.kind.value, "subject": item.subject_id,
         "actor": item.actor_id, "at": item.at, "since": item.at - GROUP_WINDOW},
    ).one()  # fmt: skip
    if found.delivered or found.in_group:
        # a redelivery; or one line per artist: a like taken back and given again
        return Recorded(Outcome.ALREADY_TOLD, found.unread)
    if found.group_id is None:
        notification_id = new_notification_id()
        conn.execute(
            NOTIFICATIONS.insert().values(
                id=notification_id, recipient_id=item.recipient_id, kind=item.kind.value,
                subject_id=item.subject_id, actor_count=1,
                created_at=item.at, updated_at=item.at, read_at=None,
            )
        )  # fmt: skip
        conn.execute(
            ACTORS.insert().values(
                notification_id=notification_id, actor_id=item.actor_id, acted_at=item.at
            )
        )
        return Recorded(Outcome.TOLD, found.unread + 1)
    group = NOTIFICATIONS.c
    conn.execute(
        ACTORS.insert().values(
            notification_id=found.group_id, actor_id=item.actor_id, acted_at=item.at
        )
    )
    conn.execute(
        NOTIFICATIONS.update()
        .where(group.id == found.group_id)
        .values(
            actor_count=group.actor_count + 1,
            updated_at=sa.case((group.updated_at < item.at, item.at), else_=group.updated_at),
        )
    )
    return Recorded(Outcome.TOLD, found.unread)


# sorted in the subquery, so the locks are taken in that order
_LOCKS = sa.text(
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k "
    "ORDER BY k) AS sorted_keys"
)


def _probe() -> sa.Select[Any]:
    """Was this event recorded already; the open group, is the actor in it; the unread count."""
    group = NOTIFICATIONS.c
    same = sa.and_(
        group.recipient_id == sa.bindparam("recipient"),
        group.kind == sa.bindparam("kind"),
        group.subject_id == sa.bindparam("subject"),
    )
    delivered = (
        sa.select(ACTORS.c.actor_id)
        .join(NOTIFICATIONS, NOTIFICATIONS.c.id == ACTORS.c.notification_id)
        .where(
            same,
            ACTORS.c.actor_id == sa.bindparam("actor"),
            ACTORS.c.acted_at == sa.bindparam("at"),
        )
        .exists()
    )
    open_group = (
        sa.select(group.id)
        .where(same, group.read_at.is_(None), group.updated_at >= sa.bindparam("since"))
        .order_by(group.updated_at.desc(), group.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    in_group = (
        sa.select(ACTORS.c.actor_id)
        .where(ACTORS.c.notification_id == open_group, ACTORS.c.actor_id == sa.bindparam("actor"))
        .exists()
    )
    unread = (
        sa.select(sa.func.count())
        .where(group.recipient_id == sa.bindparam("recipient"), group.read_at.is_(None))
        .scalar_subquery()
    )
    return sa.select(
        delivered.label("delivered"),
        open_group.label("group_id"),
        in_group.label("in_group"),
        unread.label("unread"),
    )


# built once: SQLAlchemy caches its compiled form under a key computed once per object
_PROBE = _probe()


def unread_count(conn: Connection, user_id: str) -> int:
    """How many of the artist's notifications are unread."""
    group = NOTIFICATIONS.c
    query = sa.select(sa.func.count()).where(group.recipient_id == user_id, group.read_at.is_(None))
    return int(conn.execute(query).scalar_one())
