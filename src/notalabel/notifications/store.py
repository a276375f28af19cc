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
    """Tell each recipient what its actor did, in order, in the caller's transaction.

    Each item is decided as if it came alone, after the ones before it; the batch costs a
    fixed number of statements (reads of what exists, then one write of each kind), not a few
    per item.
    """
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
    chosen = [item for item, yes in zip(items, told, strict=True) if yes]
    if not chosen:
        return [Recorded(Outcome.NOT_FOR_THEM, None) for _ in items]
    if conn.dialect.name == "postgresql":
        # relays on several workers may deliver one burst at once: one group, exact counts.
        # The locks are taken in one order, in one statement, so two batches cannot deadlock
        conn.execute(_LOCKS, {"keys": sorted({_lock_key(item) for item in chosen})})
    batch = _Batch.read(conn, chosen)
    results = [batch.apply(item) if yes else Recorded(Outcome.NOT_FOR_THEM, None)
               for item, yes in zip(items, told, strict=True)]  # fmt: skip
    batch.write(conn)
    return results


def _lock_key(item: Told) -> int:
    return zlib.crc32(f"{item.recipient_id}|{item.kind}|{item.subject_id}".encode()) - 2**31


_Key = tuple[str, str, str]  # recipient, kind, subject: one burst's identity


def _key(item: Told) -> _Key:
    return (item.recipient_id, item.kind.value, item.subject_id)


@dataclass(slots=True)
class _Group:
    """A notification a batch may add actors to: as stored, plus what the batch did to it."""

    id: str
    updated_at: datetime
    added: int = 0
    created: dict[str, Any] | None = None  # a new one's row, but its count and time


class _Batch:
    """What a batch needs to know of the stored notifications, and what it will write."""

    def __init__(self) -> None:
        self.latest: dict[_Key, _Group] = {}  # each burst's latest unread notification
        self.touched: dict[str, _Group] = {}  # by id: every one the batch adds actors to
        self.delivered: set[tuple[_Key, str, datetime]] = set()  # (burst, actor, acted at)
        self.members: set[tuple[str, str]] = set()  # (notification, actor)
        self.unread: dict[str, int] = {}
        self.new_actors: list[dict[str, Any]] = []

    @classmethod
    def read(cls, conn: Connection, items: Sequence[Told]) -> _Batch:
        """Three reads for the whole batch: open groups, the batch's actors in them, counts."""
        batch = cls()
        keys = sorted({_key(item) for item in items})
        actors = sorted({item.actor_id for item in items})
        recipients = sorted({item.recipient_id for item in items})
        group = NOTIFICATIONS.c
        same_burst = sa.tuple_(group.recipient_id, group.kind, group.subject_id).in_(keys)
        since = min(item.at for item in items) - GROUP_WINDOW
        unread_groups = conn.execute(
            sa.select(
                group.id, group.recipient_id, group.kind, group.subject_id, group.updated_at
            ).where(same_burst, group.read_at.is_(None), group.updated_at >= since)
        )
        for row in unread_groups:
            key = (row.recipient_id, row.kind, row.subject_id)
            known = batch.latest.get(key)
            if known is None or (row.updated_at, row.id) > (known.updated_at, known.id):
                batch.latest[key] = _Group(row.id, row.updated_at)
        # every notification of these bursts that names one of these actors, read or not:
        # a redelivered event finds its actor and moment there
        acted = conn.execute(
            sa.select(
                ACTORS.c.notification_id, ACTORS.c.actor_id, ACTORS.c.acted_at,
                group.recipient_id, group.kind, group.subject_id,
            )
            .join(NOTIFICATIONS, group.id == ACTORS.c.notification_id)
            .where(same_burst, ACTORS.c.actor_id.in_(actors))
        )  # fmt: skip
        for link in acted:
            key = (link.recipient_id, link.kind, link.subject_id)
            batch.delivered.add((key, link.actor_id, link.acted_at))
            batch.members.add((link.notification_id, link.actor_id))
        counts = conn.execute(
            sa.select(group.recipient_id, sa.func.count())
            .where(group.recipient_id.in_(recipients), group.read_at.is_(None))
            .group_by(group.recipient_id)
        )
        batch.unread = dict.fromkeys(recipients, 0)
        batch.unread.update({recipient: int(count) for recipient, count in counts})
        return batch

    def apply(self, item: Told) -> Recorded:
        """Decide one item against what is stored and what the batch did before it."""
        key = _key(item)
        unread = self.unread[item.recipient_id]
        if (key, item.actor_id, item.at) in self.delivered:
            return Recorded(Outcome.ALREADY_TOLD, unread)  # a redelivery
        self.delivered.add((key, item.actor_id, item.at))
        group = self.latest.get(key)
        if group is not None and group.updated_at < item.at - GROUP_WINDOW:
            group = None  # the burst has gone quiet: a new notification starts
        if group is not None and (group.id, item.actor_id) in self.members:
            # one line per artist: a like taken back and given again
            return Recorded(Outcome.ALREADY_TOLD, unread)
        if group is None:
            group = _Group(new_notification_id(), item.at)
            group.created = {
                "id": group.id, "recipient_id": item.recipient_id, "kind": item.kind.value,
                "subject_id": item.subject_id, "created_at": item.at, "read_at": None,
            }  # fmt: skip
            self.latest[key] = group
            unread = self.unread[item.recipient_id] = unread + 1
        group.added += 1
        group.updated_at = max(group.updated_at, item.at)
        self.touched[group.id] = group
        self.members.add((group.id, item.actor_id))
        self.new_actors.append(
            {"notification_id": group.id, "actor_id": item.actor_id, "acted_at": item.at}
        )
        return Recorded(Outcome.TOLD, unread)

    def write(self, conn: Connection) -> None:
        """One statement each: the new notifications, the new actors, the grown groups."""
        touched = list(self.touched.values())
        created = [
            {**group.created, "actor_count": group.added, "updated_at": group.updated_at}
            for group in touched
            if group.created is not None
        ]
        grown = [
            {"group_id": group.id, "added": group.added, "latest": group.updated_at}
            for group in touched
            if group.created is None
        ]
        if created:
            conn.execute(NOTIFICATIONS.insert(), created)
        if self.new_actors:
            conn.execute(ACTORS.insert(), self.new_actors)
        if grown:
            conn.execute(_GROW, grown)


def _grow() -> sa.Update:
    """A stored group gains `added` actors; its time moves to `latest` if that is later."""
    group = NOTIFICATIONS.c
    latest = sa.bindparam("latest", type_=NOTIFICATIONS.c.updated_at.type)
    return (
        NOTIFICATIONS.update()
        .where(group.id == sa.bindparam("group_id"))
        .values(
            actor_count=group.actor_count + sa.bindparam("added"),
            updated_at=sa.case((group.updated_at < latest, latest), else_=group.updated_at),
        )
    )


# built once: SQLAlchemy caches its compiled form under a key computed once per object
_GROW = _grow()

# sorted in the subquery, so the locks are taken in that order
_LOCKS = sa.text(
    "SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k "
    "ORDER BY k) AS sorted_keys"
)


def unread_count(conn: Connection, user_id: str) -> int:
    """How many of the artist's notifications are unread."""
    group = NOTIFICATIONS.c
    query = sa.select(sa.func.count()).where(group.recipient_id == user_id, group.read_at.is_(None))
    return int(conn.execute(query).scalar_one())
