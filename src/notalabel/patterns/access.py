"""Who may see a pattern: the one rule every feature that touches patterns goes through.

A private pattern exists only for its creator; a block either way hides an artist's patterns
from the other. Both answer "not found", so nobody learns what they may not see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from notalabel.patterns.models import Pattern
from notalabel.social.service import blocked_between

PATTERNS = Pattern.__table__


def visible_to(viewer: ColumnElement[Any] | None) -> ColumnElement[bool]:
    """The condition on `patterns` rows that `viewer` (a user id, or None) may see."""
    if viewer is None:
        return PATTERNS.c.is_public.is_(True)
    return or_(
        PATTERNS.c.creator_id == viewer,
        and_(PATTERNS.c.is_public.is_(True), ~blocked_between(PATTERNS.c.creator_id, viewer)),
    )


_VISIBLE_TO_VIEWER = select(PATTERNS).where(
    PATTERNS.c.id == bindparam("pattern_id"), visible_to(bindparam("viewer"))
)
_VISIBLE_TO_ANYONE = select(PATTERNS).where(
    PATTERNS.c.id == bindparam("pattern_id"), visible_to(None)
)


def visible_pattern(conn: Connection, pattern_id: str, viewer_id: str | None) -> RowMapping | None:
    """The pattern row if `viewer_id` (None: anonymous) may see it, else None."""
    if viewer_id is None:
        row = conn.execute(_VISIBLE_TO_ANYONE, {"pattern_id": pattern_id}).mappings().first()
    else:
        params = {"pattern_id": pattern_id, "viewer": viewer_id}
        row = conn.execute(_VISIBLE_TO_VIEWER, params).mappings().first()
    return row
