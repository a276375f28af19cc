"""Reading the security log back: pages, unseen alerts per device, acknowledgements, export."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.auth.security_log import SecurityAck, SecurityEvent
from notalabel.auth.security_schemas import SecurityEventOut, SecurityEventPage
from notalabel.db import UTCDateTime, utcnow
from notalabel.social.cursor import decode_cursor, encode_cursor

MAX_ALERTS = 50


def event_out(entry: SecurityEvent) -> SecurityEventOut:
    """A log entry as the API shows it."""
    return SecurityEventOut(
        id=entry.id,
        kind=entry.kind,
        created_at=entry.created_at,
        device_id=entry.device_id,
        ip_address=entry.ip_address,
        user_agent=entry.user_agent,
        details=entry.details,
    )


async def events_page(
    tx: AsyncSession, user_id: str, *, limit: int, cursor: str | None
) -> SecurityEventPage:
    """One keyset page of the user's log, newest first (ties broken by id)."""
    query = select(SecurityEvent).where(SecurityEvent.user_id == user_id)
    if cursor is not None:
        after = decode_cursor(cursor)
        query = query.where(
            or_(
                SecurityEvent.created_at < after.created_at,
                and_(
                    SecurityEvent.created_at == after.created_at, SecurityEvent.id < after.user_id
                ),
            )
        )
    ordered = query.order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
    rows = list(await tx.scalars(ordered.limit(limit + 1)))
    items = [event_out(r) for r in rows[:limit]]
    more = len(rows) > limit
    return SecurityEventPage(
        items=items, next_cursor=encode_cursor(items[-1].created_at, items[-1].id) if more else None
    )


_EVENTS: Table = SecurityEvent.__table__  # type: ignore[assignment]
_ACKS: Table = SecurityAck.__table__  # type: ignore[assignment]
# built once. A new sign-in starts with a clean slate (older entries are in the log, not in
# alerts): the cut-off is the later of the device's acknowledgement and its creation.
_SEEN_AT = select(_ACKS.c.seen_at).where(_ACKS.c.device_id == bindparam("device_id"))
_CREATED = bindparam("device_created_at", type_=UTCDateTime())
_UNSEEN = (
    select(*(_EVENTS.c[name] for name in SecurityEventOut.model_fields))
    .where(
        _EVENTS.c.user_id == bindparam("user_id"),
        _EVENTS.c.created_at > _CREATED,
        _EVENTS.c.created_at > func.coalesce(_SEEN_AT.scalar_subquery(), _CREATED),
        or_(_EVENTS.c.device_id.is_(None), _EVENTS.c.device_id != bindparam("device_id")),
    )
    .order_by(_EVENTS.c.created_at.desc(), _EVENTS.c.id.desc())
    .limit(MAX_ALERTS)
)


def unseen_alerts(
    conn: Connection, user_id: str, device_id: str, device_created_at: datetime
) -> list[SecurityEventOut]:
    """Entries made elsewhere (other devices, or no device) since this device last looked."""
    params = {"user_id": user_id, "device_id": device_id, "device_created_at": device_created_at}
    return [SecurityEventOut(**row._mapping) for row in conn.execute(_UNSEEN, params)]


async def acknowledge(tx: AsyncSession, device_id: str) -> datetime:
    """Mark every alert up to now as seen on this device."""
    now = utcnow()
    result = await tx.execute(
        update(SecurityAck).where(SecurityAck.device_id == device_id).values(seen_at=now)
    )
    if getattr(result, "rowcount", 0) == 0:
        try:
            async with tx.begin_nested():
                tx.add(SecurityAck(device_id=device_id, seen_at=now))
                await tx.flush()
        except IntegrityError:
            # a concurrent acknowledgement of the same device inserted first: move it forward
            await tx.execute(
                update(SecurityAck).where(SecurityAck.device_id == device_id).values(seen_at=now)
            )
    return now


async def export_for(tx: AsyncSession, user_id: str) -> list[dict[str, Any]]:
    """The whole log of one account for the data export, oldest first (it holds no secrets)."""
    rows = await tx.scalars(
        select(SecurityEvent)
        .where(SecurityEvent.user_id == user_id)
        .order_by(SecurityEvent.created_at, SecurityEvent.id)
    )
    return [event_out(r).model_dump(mode="json", by_alias=True) for r in rows]
