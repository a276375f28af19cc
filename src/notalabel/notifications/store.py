"""Writing notifications: one per burst of the same kind on the same subject, idempotent.

A new actor joins the recipient's unread notification of that kind and subject if it moved in
the last GROUP_WINDOW; otherwise a new notification starts. An event delivered twice finds its
actor already there (the same subject and moment) and changes nothing.
"""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.notifications.models import ACTORS, NOTIFICATIONS, Kind, new_notification_id
from notalabel.notifications.wording import SETTING
from notalabel.social.service import either_blocked
from notalabel.users.directory import notification_settings

GROUP_WINDOW = timedelta(hours=1)


class Outcome(StrEnum):
    """What `record` did."""

    NOT_FOR_THEM = "not_for_them"  # their own action, a block, or their setting is off
    ALREADY_TOLD = "already_told"  # a redelivered event, or an actor already in the group
    TOLD = "told"


def record(
    conn: Connection,
    *,
    recipient_id: str,
    kind: Kind,
    subject_id: str,
    actor_id: str,
    at: datetime,
) -> Outcome:
    """Tell `recipient_id` that `actor_id` did `kind` to `subject_id`."""
    if actor_id == recipient_id:
        return Outcome.NOT_FOR_THEM
    wanted = notification_settings(conn, recipient_id)
    if wanted is None or not wanted[SETTING[kind]]:
        return Outcome.NOT_FOR_THEM
    if either_blocked(conn, recipient_id, actor_id):
        return Outcome.NOT_FOR_THEM
    if conn.dialect.name == "postgresql":
        # relays on several workers may deliver one burst at once: one group, exact counts
        key = zlib.crc32(f"{recipient_id}|{kind}|{subject_id}".encode()) - 2**31
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
    group = NOTIFICATIONS.c
    same = sa.and_(
        group.recipient_id == recipient_id, group.kind == kind.value, group.subject_id == subject_id
    )
    delivered = (
        sa.select(ACTORS.c.actor_id)
        .join(NOTIFICATIONS, NOTIFICATIONS.c.id == ACTORS.c.notification_id)
        .where(same, ACTORS.c.actor_id == actor_id, ACTORS.c.acted_at == at)
    )
    if conn.execute(delivered).first() is not None:
        return Outcome.ALREADY_TOLD
    open_group = (
        sa.select(group.id, group.updated_at)
        .where(same, group.read_at.is_(None), group.updated_at >= at - GROUP_WINDOW)
        .order_by(group.updated_at.desc(), group.id.desc())
        .limit(1)
    )
    found = conn.execute(open_group).first()
    if found is None:
        notification_id = new_notification_id()
        conn.execute(
            NOTIFICATIONS.insert().values(
                id=notification_id, recipient_id=recipient_id, kind=kind.value,
                subject_id=subject_id, actor_count=1,
                created_at=at, updated_at=at, read_at=None,
            )
        )  # fmt: skip
        conn.execute(
            ACTORS.insert().values(notification_id=notification_id, actor_id=actor_id, acted_at=at)
        )
        return Outcome.TOLD
    already = sa.select(ACTORS.c.actor_id).where(
        ACTORS.c.notification_id == found.id, ACTORS.c.actor_id == actor_id
    )
    if conn.execute(already).first() is not None:
        # one line per artist: a like taken back and given again says nothing new
        return Outcome.ALREADY_TOLD
    conn.execute(ACTORS.insert().values(notification_id=found.id, actor_id=actor_id, acted_at=at))
    conn.execute(
        NOTIFICATIONS.update()
        .where(group.id == found.id)
        .values(
            actor_count=group.actor_count + 1,
            updated_at=sa.case((group.updated_at < at, at), else_=group.updated_at),
        )
    )
    return Outcome.TOLD


def unread_count(conn: Connection, user_id: str) -> int:
    """How many of the artist's notifications are unread."""
    group = NOTIFICATIONS.c
    query = sa.select(sa.func.count()).where(group.recipient_id == user_id, group.read_at.is_(None))
    return int(conn.execute(query).scalar_one())
