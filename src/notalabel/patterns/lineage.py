"""Reading remix families: a pattern's remixes, and its ancestors and descendants.

Every read goes through `visible_to`: a pattern the caller may not see is left out, and so is
everything above it (ancestors stop there) or below it (its subtree is cut), so a private or
blocked remix never leaks the patterns made from it. The walks are bounded iterative queries
with a seen set, so even rows forced into a cycle end.
"""

from __future__ import annotations

from sqlalchemy import Table, and_, bindparam, or_, select
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql.elements import ColumnElement

from notalabel.db import Database
from notalabel.patterns.access import visible_pattern, visible_to
from notalabel.patterns.exceptions import HIDDEN, PatternNotFound
from notalabel.patterns.models import Pattern
from notalabel.patterns.remix_schemas import Lineage, LineageNode, RemixItem, RemixPage
from notalabel.patterns.schemas import Creator
from notalabel.social.cursor import decode_cursor, encode_cursor
from notalabel.users.service import USERS

PATTERNS: Table = Pattern.__table__  # type: ignore[assignment]
MAX_ANCESTORS = 50
MAX_DESCENDANTS = 200
MAX_DEPTH = 20

_NODE_COLUMNS = (
    PATTERNS.c.id,
    PATTERNS.c.title,
    PATTERNS.c.creator_id,
    USERS.c.artist_name,
    PATTERNS.c.remix_type,
    PATTERNS.c.original_pattern_id,
    PATTERNS.c.genre,
    PATTERNS.c.mood,
    PATTERNS.c.ai_generated,
    PATTERNS.c.created_at,
)
_WITH_CREATOR = PATTERNS.join(USERS, USERS.c.id == PATTERNS.c.creator_id)


def _visible(viewer_id: str | None) -> ColumnElement[bool]:
    return visible_to(None if viewer_id is None else bindparam("viewer", viewer_id))


def _node(row: RowMapping, depth: int) -> LineageNode:
    return LineageNode(
        id=row["id"],
        title=row["title"],
        creator=Creator(id=row["creator_id"], artist_name=row["artist_name"]),
        remix_type=row["remix_type"],
        depth=depth,
        parent_id=row["original_pattern_id"],
    )


def _ancestors(conn: Connection, start: RowMapping, viewer_id: str | None) -> list[LineageNode]:
    query = select(*_NODE_COLUMNS).select_from(_WITH_CREATOR).where(_visible(viewer_id))
    seen = {start["id"]}
    found: list[LineageNode] = []
    parent = start["original_pattern_id"]
    while parent is not None and parent not in seen and len(found) < MAX_ANCESTORS:
        row = conn.execute(query.where(PATTERNS.c.id == parent)).mappings().first()
        if row is None:
            break
        seen.add(parent)
        found.append(_node(row, len(found) + 1))
        parent = row["original_pattern_id"]
    return found


def _descendants(
    conn: Connection, start: RowMapping, viewer_id: str | None
) -> tuple[list[LineageNode], bool]:
    base = select(*_NODE_COLUMNS).select_from(_WITH_CREATOR).where(_visible(viewer_id))
    seen = {start["id"]}
    found: list[LineageNode] = []
    frontier = [start["id"]]
    depth = 0
    while frontier:
        depth += 1
        room = MAX_DESCENDANTS - len(found)
        query = (
            base.where(PATTERNS.c.original_pattern_id.in_(frontier))
            .order_by(PATTERNS.c.created_at, PATTERNS.c.id)
            # rows already seen (only in a cycle) may take places, so ask for that many more
            .limit(room + len(seen) + 1)
        )
        fresh = [row for row in conn.execute(query).mappings() if row["id"] not in seen]
        if fresh and (depth > MAX_DEPTH or len(fresh) > room):
            found += [_node(row, depth) for row in fresh[:room]] if depth <= MAX_DEPTH else []
            return found, True
        seen.update(row["id"] for row in fresh)
        found += [_node(row, depth) for row in fresh]
        frontier = [row["id"] for row in fresh]
    return found, False


def read_lineage(conn: Connection, pattern_id: str, viewer_id: str | None) -> Lineage:
    """The remix family around a pattern the viewer can see, bounded and cycle-free."""
    start = visible_pattern(conn, pattern_id, viewer_id)
    if start is None:
        raise PatternNotFound(HIDDEN)
    ancestors = _ancestors(conn, start, viewer_id)
    descendants, cut = _descendants(conn, start, viewer_id)
    more_above = len(ancestors) == MAX_ANCESTORS and ancestors[-1].parent_id is not None
    truncated = cut or more_above
    return Lineage(
        pattern_id=pattern_id, ancestors=ancestors, descendants=descendants, truncated=truncated
    )


def read_remixes(
    conn: Connection, pattern_id: str, viewer_id: str | None, limit: int, cursor: str | None
) -> RemixPage:
    """The remixes of a pattern the viewer can see, newest first, one page."""
    if visible_pattern(conn, pattern_id, viewer_id) is None:
        raise PatternNotFound(HIDDEN)
    query = (
        select(*_NODE_COLUMNS)
        .select_from(_WITH_CREATOR)
        .where(PATTERNS.c.original_pattern_id == pattern_id, _visible(viewer_id))
        .order_by(PATTERNS.c.created_at.desc(), PATTERNS.c.id.desc())
        .limit(limit + 1)
    )
    if cursor is not None:
        after = decode_cursor(cursor)
        query = query.where(
            or_(
                PATTERNS.c.created_at < after.created_at,
                and_(PATTERNS.c.created_at == after.created_at, PATTERNS.c.id < after.user_id),
            )
        )
    rows = conn.execute(query).mappings().all()
    items = [
        RemixItem(
            id=row["id"],
            title=row["title"],
            remix_type=row["remix_type"],
            remixer=Creator(id=row["creator_id"], artist_name=row["artist_name"]),
            genre=row["genre"],
            mood=row["mood"],
            ai_generated=row["ai_generated"],
            created_at=row["created_at"],
        )
        for row in rows[:limit]
    ]
    last = rows[limit - 1] if len(rows) > limit else None
    next_cursor = encode_cursor(last["created_at"], last["id"]) if last is not None else None
    return RemixPage(items=items, next_cursor=next_cursor)


class LineageService:
    """Read-only access to remix families."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def lineage(self, pattern_id: str, viewer_id: str | None) -> Lineage:
        """Ancestors and descendants of a pattern."""
        return await self._db.read(lambda conn: read_lineage(conn, pattern_id, viewer_id))

    async def remixes(
        self, pattern_id: str, viewer_id: str | None, limit: int, cursor: str | None
    ) -> RemixPage:
        """One page of a pattern's remixes."""
        return await self._db.read(
            lambda conn: read_remixes(conn, pattern_id, viewer_id, limit, cursor)
        )
