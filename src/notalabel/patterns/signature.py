"""Choosing which of an artist's patterns is their signature."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.db import Database
from notalabel.engine.pattern.model import PatternModel
from notalabel.events import Event, MessageBus
from notalabel.patterns.events import SignaturePatternChanged
from notalabel.patterns.exceptions import HIDDEN, PatternNotFound, SignatureConflict
from notalabel.patterns.schemas import PatternOut
from notalabel.patterns.views import PATTERNS, pattern_out, read_with_creator, signature_document
from notalabel.users.exceptions import UserNotFound
from notalabel.users.signature import lock_signature, set_signature_document

MUST_BE_PUBLIC = (
    "Your signature is shown on your public profile: make this pattern public first "
    "(PATCH it with isPublic: true), then choose it."
)
_CURRENT = select(PATTERNS.c.id).where(
    PATTERNS.c.creator_id == bindparam("user_id"), PATTERNS.c.is_signature.is_(True)
)


def choose_signature(
    conn: Connection, user_id: str, pattern_id: str
) -> tuple[PatternOut, SignaturePatternChanged | None]:
    """Make the caller's public pattern their signature; the event when it changed."""
    # the account row is locked first, so two changes at once leave exactly one signature
    document = lock_signature(conn, user_id)
    if document is None:
        raise UserNotFound("No artist with that id.")
    row = read_with_creator(conn, pattern_id) if _owns(conn, user_id, pattern_id) else None
    if row is None:
        raise PatternNotFound(HIDDEN)
    if not row["is_public"]:
        raise SignatureConflict(MUST_BE_PUBLIC)
    flagged = conn.execute(_CURRENT, {"user_id": user_id}).scalars().all()
    previous = flagged[0] if flagged else document.get("id")
    if previous == pattern_id and row["is_signature"]:
        return pattern_out(row), None
    conn.execute(
        update(PATTERNS)
        .where(
            PATTERNS.c.creator_id == user_id,
            or_(PATTERNS.c.is_signature.is_(True), PATTERNS.c.id == pattern_id),
        )
        .values(is_signature=PATTERNS.c.id == pattern_id)
    )
    set_signature_document(conn, user_id, signature_document(row))
    event = SignaturePatternChanged(
        user_id=user_id,
        pattern_id=pattern_id,
        previous_pattern_id=previous,
        genre=row["genre"],
        mood=row["mood"],
    )
    return pattern_out(read_with_creator(conn, pattern_id)), event


def refresh_signature(conn: Connection, user_id: str, pattern_id: str) -> None:
    """Rewrite the account's signature document from its pattern as it is now."""
    lock_signature(conn, user_id)
    set_signature_document(conn, user_id, signature_document(read_with_creator(conn, pattern_id)))


def _owns(conn: Connection, user_id: str, pattern_id: str) -> bool:
    mine = and_(PATTERNS.c.id == pattern_id, PATTERNS.c.creator_id == user_id)
    return conn.execute(select(PATTERNS.c.id).where(mine)).first() is not None


class Signatures:
    """The signature change as one transaction, its event published after it commits."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def choose(self, user_id: str, pattern_id: str) -> PatternOut:
        """Make `pattern_id` the caller's signature."""

        def work(conn: Connection) -> tuple[PatternOut, list[Event]]:
            chosen, event = choose_signature(conn, user_id, pattern_id)
            events: list[Event] = [] if event is None else [event]
            self._bus.stage(conn, events)
            return chosen, events

        chosen, events = await self._db.run(work)
        await self._bus.deliver(events)
        return chosen


async def signature_model(tx: AsyncSession, user_id: str) -> PatternModel | None:
    """The engine model of the artist's signature pattern, None when it has none stored."""
    stored = await tx.scalar(
        select(PATTERNS.c.model).where(
            PATTERNS.c.creator_id == user_id, PATTERNS.c.is_signature.is_(True)
        )
    )
    return PatternModel.from_json(stored) if stored else None
