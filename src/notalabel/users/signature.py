"""The one way other features change a user's signature document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.engine import Connection

from notalabel.db import utcnow
from notalabel.users.models import User

_USERS: Table = User.__table__  # type: ignore[assignment]
_SET_SIGNATURE = (
    update(_USERS)
    .where(_USERS.c.id == bindparam("user_id"))
    .values(signature_pattern=bindparam("document"), updated_at=bindparam("now"))
)
_LOCK_USER = (
    select(_USERS.c.signature_pattern).where(_USERS.c.id == bindparam("user_id")).with_for_update()
)


def lock_signature(conn: Connection, user_id: str) -> dict[str, Any] | None:
    """The user's signature document, its row locked until the transaction ends (None: gone)."""
    row = conn.execute(_LOCK_USER, {"user_id": user_id}).first()
    return None if row is None else dict(row[0] or {})


def set_signature_document(conn: Connection, user_id: str, document: dict[str, Any]) -> None:
    """Replace the signature document shown on the user's profile (inside `Database.run`)."""
    conn.execute(_SET_SIGNATURE, {"user_id": user_id, "document": document, "now": utcnow()})
