"""Narrow reads of many artists at once, for features that list or match them.

Other features (community matching) read artists only through these functions: what an
artist's DNA is, who joined since a point in time, and the public summary shown beside a
suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.users.models import User
from notalabel.users.service import DEFAULT_NOTIFICATIONS

_USERS: sa.Table = User.__table__  # type: ignore[assignment]
_JOINED = (
    sa.select(_USERS.c.id, _USERS.c.created_at, _USERS.c.music_dna)
    .order_by(_USERS.c.created_at, _USERS.c.id)
    .limit(sa.bindparam("limit"))
)
_JOINED_AFTER = _JOINED.where(
    sa.or_(
        _USERS.c.created_at > sa.bindparam("after_time"),
        sa.and_(
            _USERS.c.created_at == sa.bindparam("after_time"),
            _USERS.c.id > sa.bindparam("after_id"),
        ),
    )
)
_NAMES = sa.select(_USERS.c.id, _USERS.c.artist_name).where(
    _USERS.c.id.in_(sa.bindparam("ids", expanding=True))
)
_DNA = sa.select(_USERS.c.music_dna).where(_USERS.c.id == sa.bindparam("user_id"))
_SUMMARIES = sa.select(
    _USERS.c.id,
    _USERS.c.artist_name,
    _USERS.c.profile,
    _USERS.c.music_dna,
    _USERS.c.signature_pattern,
).where(_USERS.c.id.in_(sa.bindparam("ids", expanding=True)))


@dataclass(frozen=True, slots=True)
class JoinedArtist:
    """An artist's id, when they joined, and their music DNA document."""

    id: str
    joined_at: datetime
    music_dna: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ArtistCard:
    """What anyone may see of an artist beside a suggestion."""

    id: str
    artist_name: str
    avatar: str | None
    bio: str | None
    music_dna: dict[str, Any]
    signature_pattern: dict[str, Any]


def read_joined(
    conn: Connection, after: tuple[datetime, str] | None, limit: int
) -> list[JoinedArtist]:
    """Up to `limit` artists who joined after `after` (join time, id), oldest first."""
    if after is None:
        rows = conn.execute(_JOINED, {"limit": limit})
    else:
        params = {"after_time": after[0], "after_id": after[1], "limit": limit}
        rows = conn.execute(_JOINED_AFTER, params)
    return [JoinedArtist(row.id, row.created_at, dict(row.music_dna or {})) for row in rows]


def read_music_dna(conn: Connection, user_id: str) -> dict[str, Any] | None:
    """An artist's music DNA document, or None if there is no such artist."""
    row = conn.execute(_DNA, {"user_id": user_id}).first()
    return None if row is None else dict(row.music_dna or {})


def read_cards(conn: Connection, ids: Sequence[str]) -> dict[str, ArtistCard]:
    """The public cards of the artists among `ids` who still exist."""
    if not ids:
        return {}
    cards = {}
    for row in conn.execute(_SUMMARIES, {"ids": list(ids)}):
        profile = row.profile or {}
        cards[row.id] = ArtistCard(
            id=row.id,
            artist_name=row.artist_name,
            avatar=profile.get("avatar"),
            bio=profile.get("bio"),
            music_dna=dict(row.music_dna or {}),
            signature_pattern=dict(row.signature_pattern or {}),
        )
    return cards


def read_names(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The artist names of those among `ids` who still exist."""
    if not ids:
        return {}
    return {row.id: row.artist_name for row in conn.execute(_NAMES, {"ids": sorted(set(ids))})}


def notification_settings(conn: Connection, user_id: str) -> dict[str, bool] | None:
    """Which notifications the artist wants (defaults filled in); None if they are gone."""
    return notification_settings_of(conn, [user_id]).get(user_id)


def notification_settings_of(
    conn: Connection, user_ids: Iterable[str]
) -> dict[str, dict[str, bool]]:
    """`notification_settings` of several artists in one query (the gone ones are left out)."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    query = sa.select(_USERS.c.id, _USERS.c.preferences).where(_USERS.c.id.in_(ids))
    settings = {}
    for row in conn.execute(query):
        chosen = (row.preferences or {}).get("notifications") or {}
        settings[row.id] = {
            key: bool(chosen.get(key, default)) for key, default in DEFAULT_NOTIFICATIONS.items()
        }
    return settings
