"""Onboarding session rows, read and written with Core statements inside `Database.run`.

A step loads the row once, works on a plain `SessionState`, and writes back only the columns
it changed, guarded by the row's version (two steps racing on one session cannot both apply).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from notalabel.db import utcnow
from notalabel.identity.models import IdentitySession

_TABLE: Table = IdentitySession.__table__  # type: ignore[assignment]
_COLUMNS = tuple(c.name for c in _TABLE.columns)


@dataclass(slots=True)
class SessionState:
    """One onboarding session as a step sees it; `changed` names the columns to write."""

    id: str
    current_step: str
    seed: int
    user_responses: list[dict[str, Any]]
    generated_patterns: list[dict[str, Any]]
    music_dna: dict[str, Any] | None
    tentative_artist_name: str | None
    tentative_name_key: str | None
    name_alternatives: list[str]
    client_info: dict[str, Any]
    user_id: str | None
    completed: bool
    completed_at: datetime | None
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    version: int
    changed: set[str] = field(default_factory=set, compare=False)

    def set(self, **values: Any) -> None:
        """Change columns (they will be written back)."""
        for name, value in values.items():
            setattr(self, name, value)
        self.changed.update(values)


_STATE_FIELDS = tuple(f.name for f in fields(SessionState) if f.name != "changed")
assert set(_STATE_FIELDS) == set(_COLUMNS), "SessionState must mirror identity_sessions"


def insert_session(conn: Connection, state: SessionState) -> None:
    """Store a new session."""
    conn.execute(insert(_TABLE), [{name: getattr(state, name) for name in _STATE_FIELDS}])


# built once: a step runs the same three statements, only their parameters change
_LOAD = select(*(_TABLE.c[name] for name in _STATE_FIELDS)).where(
    _TABLE.c.id == bindparam("session_id")
)
_LOAD_LOCKED = _LOAD.with_for_update()
# no .values(): the SET clause is whatever columns the parameters name
_SAVE = update(_TABLE).where(
    _TABLE.c.id == bindparam("_id"), _TABLE.c.version == bindparam("_version")
)


def load_session(conn: Connection, session_id: str, *, lock: bool) -> SessionState | None:
    """The session, or None; `lock` takes its row lock (PostgreSQL) for a writing step."""
    row = conn.execute(_LOAD_LOCKED if lock else _LOAD, {"session_id": session_id}).first()
    if row is None:
        return None
    return SessionState(**dict(zip(_STATE_FIELDS, row, strict=True)))


def save_session(conn: Connection, state: SessionState) -> bool:
    """Write the changed columns; False when another step got there first."""
    if not state.changed:
        return True
    values = {name: getattr(state, name) for name in state.changed}
    values["updated_at"] = utcnow()
    values["version"] = state.version + 1
    result = conn.execute(_SAVE, {"_id": state.id, "_version": state.version, **values})
    if result.rowcount != 1:
        return False
    state.version += 1
    state.changed.clear()
    return True


def delete_session(conn: Connection, session_id: str) -> None:
    """Remove a session row."""
    conn.execute(delete(_TABLE).where(_TABLE.c.id == session_id))
