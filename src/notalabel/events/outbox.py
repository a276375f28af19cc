"""The outbox tables (migration 0012) and the statements that write, claim and settle them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.db import UTCDateTime, utcnow

_META = sa.MetaData()
OUTBOX = sa.Table(
    "event_outbox",
    _META,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("pending", sa.JSON(), nullable=False),
    sa.Column("attempts", sa.JSON(), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("lease_until", UTCDateTime()),
    sa.Column("delivered_at", UTCDateTime()),
)
DEAD_LETTERS = sa.Table(
    "event_dead_letters",
    _META,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("event_id", sa.BigInteger(), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("handler", sa.String(120), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("error", sa.Text(), nullable=False),
    sa.Column("failed_at", UTCDateTime(), nullable=False),
    sa.Column("replayed_at", UTCDateTime()),
)


@dataclass(frozen=True, slots=True)
class Stored:
    """One outbox row as a relay sees it."""

    id: int
    name: str
    payload: dict[str, Any]
    pending: list[str]
    attempts: dict[str, int]


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """An event one handler failed on too often (id: the table's row id or the stream's id)."""

    id: str
    event_id: int
    name: str
    handler: str
    attempts: int
    error: str
    failed_at: datetime
    replayed_at: datetime | None
    payload: dict[str, Any]


def insert_events(conn: Connection, rows: Sequence[tuple[str, dict[str, Any], list[str]]]) -> None:
    """Write (name, payload, handler names) rows; a row with no handler is delivered at once."""
    now = utcnow()
    conn.execute(
        OUTBOX.insert(),
        [
            {
                "name": name,
                "payload": payload,
                "pending": pending,
                "attempts": {},
                "created_at": now,
                "delivered_at": None if pending else now,
            }
            for name, payload, pending in rows
        ],
    )


def claim(conn: Connection, limit: int, lease: timedelta) -> list[Stored]:
    """Lease up to `limit` undelivered rows that are due, oldest first."""
    now = utcnow()
    due = (
        sa.select(OUTBOX.c.id)
        .where(
            OUTBOX.c.delivered_at.is_(None),
            sa.or_(OUTBOX.c.lease_until.is_(None), OUTBOX.c.lease_until <= now),
        )
        .order_by(OUTBOX.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        # workers share the table: each takes rows no other relay holds
        due = due.with_for_update(skip_locked=True)
    leased = (
        OUTBOX.update()
        .where(OUTBOX.c.id.in_(due.scalar_subquery()))
        .values(lease_until=now + lease)
        .returning(
            OUTBOX.c.id, OUTBOX.c.name, OUTBOX.c.payload, OUTBOX.c.pending, OUTBOX.c.attempts
        )
    )
    rows = conn.execute(leased).all()
    return sorted(
        (Stored(r.id, r.name, r.payload, list(r.pending), dict(r.attempts)) for r in rows),
        key=lambda s: s.id,
    )


def settle(
    conn: Connection,
    row: Stored,
    pending: list[str],
    attempts: dict[str, int],
    retry_at: datetime | None,
) -> None:
    """Record what a delivery left: the handlers still pending and when to try them again."""
    now = utcnow()
    conn.execute(
        OUTBOX.update()
        .where(OUTBOX.c.id == row.id)
        .values(
            pending=pending,
            attempts=attempts,
            lease_until=retry_at,
            delivered_at=None if pending else now,
        )
    )


def mark_published(conn: Connection, ids: Sequence[int]) -> None:
    """Rows handed on whole (to the Redis stream): nothing is pending here any more."""
    conn.execute(
        OUTBOX.update()
        .where(OUTBOX.c.id.in_(ids))
        .values(pending=[], lease_until=None, delivered_at=utcnow())
    )


def postpone(conn: Connection, ids: Sequence[int], until: datetime) -> None:
    """Rows that could not be handed on: lease them until they should be tried again."""
    conn.execute(OUTBOX.update().where(OUTBOX.c.id.in_(ids)).values(lease_until=until))


def bury(conn: Connection, row: Stored, handler: str, attempts: int, error: str) -> None:
    """Park a copy of the event for `handler` among the dead letters."""
    conn.execute(
        DEAD_LETTERS.insert().values(
            event_id=row.id,
            name=row.name,
            payload=row.payload,
            handler=handler,
            attempts=attempts,
            error=error[:4000],
            failed_at=utcnow(),
        )
    )


def dead_letters(conn: Connection, *, include_replayed: bool = False) -> list[DeadLetter]:
    """The dead letters, oldest first (replayed ones only when asked)."""
    query = sa.select(DEAD_LETTERS).order_by(DEAD_LETTERS.c.id)
    if not include_replayed:
        query = query.where(DEAD_LETTERS.c.replayed_at.is_(None))
    return [_letter(row) for row in conn.execute(query).mappings()]


def requeue(conn: Connection, letter_id: str) -> DeadLetter | None:
    """Put a dead letter's event back in the outbox for its one handler; None if not found.

    A letter replayed before is returned as it is and not queued twice.
    """
    if not letter_id.isdigit():
        return None
    query = sa.select(DEAD_LETTERS).where(DEAD_LETTERS.c.id == int(letter_id))
    row = conn.execute(query).mappings().first()
    if row is None:
        return None
    letter = _letter(row)
    if letter.replayed_at is None:
        insert_events(conn, [(letter.name, letter.payload, [letter.handler])])
        replayed = DEAD_LETTERS.update().where(DEAD_LETTERS.c.id == int(letter_id))
        conn.execute(replayed.values(replayed_at=utcnow()))
    return letter


def _letter(row: Any) -> DeadLetter:
    fields = {name: row[name] for name in DeadLetter.__dataclass_fields__}
    return DeadLetter(**{**fields, "id": str(row["id"])})


def prune(conn: Connection, older_than: timedelta) -> int:
    """Delete rows delivered more than `older_than` ago; how many went."""
    cutoff = utcnow() - older_than
    done = conn.execute(OUTBOX.delete().where(OUTBOX.c.delivered_at < cutoff))
    return done.rowcount or 0
