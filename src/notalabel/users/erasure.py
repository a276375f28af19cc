"""Deleting an account with all its personal data, and exporting that data first."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from notalabel.db import Database, utcnow
from notalabel.events import MessageBus
from notalabel.identity.models import IdentitySession
from notalabel.patterns.models import Pattern
from notalabel.social.models import Block, Follow
from notalabel.users.events import UserDeleted
from notalabel.users.exceptions import UserNotFound
from notalabel.users.models import Device, User

_PRIVATE_COLUMNS = {"password_hash", "artist_name_key", "email_key"}
_CORE_SECTIONS = frozenset(
    {
        "exportedAt",
        "user",
        "patterns",
        "devices",
        "following",
        "followers",
        "blocked",
        "identitySessions",
    }
)

# Reads one feature's data about a user inside the export's transaction, as JSON-ready values.
ExportSection = Callable[[AsyncSession, str], Awaitable[Any]]
# Runs inside the erasure's transaction before the user row goes (counters others keep, ...).
ErasureStep = Callable[[AsyncSession, str], Awaitable[None]]


class AccountErasure:
    """GDPR-style export and erasure of one account."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus
        self._sections: dict[str, ExportSection] = {}
        self._steps: list[ErasureStep] = []

    def add_export_section(self, key: str, reader: ExportSection) -> None:
        """Export `await reader(tx, user_id)` under `key` too (security log, passkeys, ...)."""
        if key in _CORE_SECTIONS or key in self._sections:
            raise ValueError(f"export section {key!r} already exists")
        self._sections[key] = reader

    def add_erasure_step(self, step: ErasureStep) -> None:
        """Run `await step(tx, user_id)` in each erasure's transaction before the user row goes."""
        self._steps.append(step)

    async def export(self, user_id: str) -> dict[str, Any]:
        """Everything stored about the user, as JSON (secrets and hashes left out)."""
        async with self._db.transaction() as tx:
            user = await tx.get(User, user_id)
            if user is None:
                raise UserNotFound("No artist with that id.")
            patterns = await tx.scalars(
                select(Pattern).where(Pattern.creator_id == user_id).order_by(Pattern.created_at)
            )
            devices = await tx.scalars(
                select(Device).where(Device.user_id == user_id).order_by(Device.created_at)
            )
            sessions = await tx.scalars(
                select(IdentitySession)
                .where(IdentitySession.user_id == user_id)
                .order_by(IdentitySession.created_at)
            )
            body: dict[str, Any] = {
                "exportedAt": utcnow().isoformat(),
                "user": _columns(user, skip=_PRIVATE_COLUMNS),
                "patterns": [_columns(p) for p in patterns],
                "devices": [_columns(d) for d in devices],
                "following": await _relations(tx, Follow.follower_id, Follow.followee_id, user_id),
                "followers": await _relations(tx, Follow.followee_id, Follow.follower_id, user_id),
                "blocked": await _relations(tx, Block.blocker_id, Block.blocked_id, user_id),
                "identitySessions": [_session(s) for s in sessions],
            }
            for key, reader in self._sections.items():
                body[key] = await reader(tx, user_id)
            return body

    async def delete(self, user_id: str) -> None:
        """Erase the account; devices, tokens, follows, blocks and patterns go with it."""
        # Every other table that references users.id must say ON DELETE CASCADE
        # (tests/users/test_erasure.py checks it); only rows whose key is SET NULL on delete
        # need an explicit delete here.
        deleted = [UserDeleted(user_id=user_id)]
        async with self._db.transaction() as tx:
            # onboarding transcripts hold the artist's own words, but their key only goes NULL
            await tx.execute(delete(IdentitySession).where(IdentitySession.user_id == user_id))
            for step in self._steps:
                await step(tx, user_id)
            result = await tx.execute(delete(User).where(User.id == user_id))
            if getattr(result, "rowcount", 0) != 1:
                raise UserNotFound("No artist with that id.")
            await self._bus.stage_in(tx, deleted)
        await self._bus.deliver(deleted)


async def _relations(tx: AsyncSession, own: Any, other: Any, user_id: str) -> list[dict[str, Any]]:
    person = aliased(User)
    table = own.class_
    rows = await tx.execute(
        select(person.id, person.artist_name, table.created_at)
        .join(person, person.id == other)
        .where(own == user_id)
        .order_by(table.created_at)
    )
    return [{"id": r[0], "artistName": r[1], "since": r[2].isoformat()} for r in rows]


def _columns(row: Any, skip: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(row, column.key)
        body[column.key] = value.isoformat() if hasattr(value, "isoformat") else value
    return body


def _session(session: IdentitySession) -> dict[str, Any]:
    body = _columns(session, skip={"tentative_name_key", "version"})
    body["generated_patterns"] = [
        {k: v for k, v in p.items() if k != "model"} for p in session.generated_patterns
    ]
    return body
