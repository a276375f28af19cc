"""Achievements an artist earns from what happens to them: event handlers, each idempotent.

Milestones are read from the counts the profile shows (the same exact counts, summed from
rows), each time an event may have moved one: a like, a follower, a pattern. Remixes and
collaborations earn theirs from the event itself. An achievement is added once and kept: a
like taken back does not take it away. Joining earns the seed's two ("first_beat",
"musical_identity_created", users/service.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.community.events import CollaborationAccepted
from notalabel.db import Database
from notalabel.events import MessageBus
from notalabel.patterns.events import PatternCreated, PatternLiked, PatternRemixed
from notalabel.social.events import UserFollowed
from notalabel.users.profiles import read_counts, read_profiles_and_counts
from notalabel.users.schemas import Counts
from notalabel.users.service import USERS


@dataclass(frozen=True, slots=True)
class Milestone:
    """An achievement earned when one of the profile's counts reaches `at_least`."""

    code: str
    count: str  # a field of Counts
    at_least: int


MILESTONES = (
    Milestone("first_like", "likes_received", 1),
    Milestone("ten_likes", "likes_received", 10),
    Milestone("hundred_likes", "likes_received", 100),
    Milestone("first_follower", "followers", 1),
    Milestone("ten_followers", "followers", 10),
    Milestone("hundred_followers", "followers", 100),
    # the signature pattern is the first: a second is the first made after joining
    Milestone("first_new_pattern", "patterns", 2),
    Milestone("ten_patterns", "patterns", 10),
)
FIRST_REMIXED = "first_remixed"  # another artist remixed one of theirs
FIRST_REMIX = "first_remix"  # they remixed another artist's pattern
FIRST_COLLABORATION = "first_collaboration"


def earned(counts: Counts) -> list[str]:
    """The milestones `counts` has reached, in the order MILESTONES lists them."""
    return [m.code for m in MILESTONES if getattr(counts, m.count) >= m.at_least]


def award(conn: Connection, user_id: str, also: Iterable[str] = ()) -> list[str]:
    """Add what the artist has earned and lacks; what was added (none if the account is gone)."""
    # the row lock keeps this and a profile edit from writing over each other (PostgreSQL); a
    # no-key lock, so the foreign-key checks of rows that name the artist do not wait on it
    profile = _profile(conn, user_id, lock=True)
    if profile is None:
        return []
    have = list(profile.get("achievements") or [])
    new = _lacking(conn, user_id, have, also)
    if new:
        profile["achievements"] = have + new
        conn.execute(USERS.update().where(USERS.c.id == user_id).values(profile=profile))
    return new


def missing(conn: Connection, user_ids: Sequence[str], also: Iterable[str] = ()) -> list[str]:
    """Of `user_ids`, who has earned something they lack, in one statement without locks."""
    extra = tuple(also)
    return [
        user_id
        for user_id, (profile, counts) in read_profiles_and_counts(conn, user_ids).items()
        if _new(list(profile.get("achievements") or []), counts, extra)
    ]


def _profile(conn: Connection, user_id: str, *, lock: bool) -> dict[str, Any] | None:
    query = sa.select(USERS.c.profile).where(USERS.c.id == user_id)
    row = conn.execute(query.with_for_update(key_share=True) if lock else query).first()
    return None if row is None else dict(row.profile or {})


def _lacking(conn: Connection, user_id: str, have: list[str], also: Iterable[str]) -> list[str]:
    return _new(have, read_counts(conn, user_id), also)


def _new(have: list[str], counts: Counts, also: Iterable[str]) -> list[str]:
    candidates = dict.fromkeys([*earned(counts), *also])
    return [code for code in candidates if code not in have]


class AchievementHandlers:
    """Awards achievements when an event may have earned one."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _award(self, user_ids: Iterable[str], also: Iterable[str] = ()) -> None:
        people, extra = list(dict.fromkeys(user_ids)), tuple(also)
        # most events earn nothing: one read without locks (no BEGIN/COMMIT) for the whole
        # batch rules that out, and only who may have earned something takes the locked write
        # (which decides again)
        for user_id in await self._db.read(lambda conn: missing(conn, people, extra)):
            # a transaction each: one that held two artists' rows could deadlock with the
            # notifications' (their foreign keys lock the same rows, and the groups run at once)
            await self._db.run(partial(award, user_id=user_id, also=extra))

    async def pattern_liked(self, events: Sequence[PatternLiked]) -> None:
        """A like counts towards the creator's like milestones."""
        await self._award(e.creator_id for e in events)

    async def artist_followed(self, events: Sequence[UserFollowed]) -> None:
        """A follower counts towards the followed artist's milestones."""
        await self._award(e.followee_id for e in events)

    async def pattern_created(self, events: Sequence[PatternCreated]) -> None:
        """A pattern counts towards its creator's milestones."""
        await self._award(e.creator_id for e in events)

    async def pattern_remixed(self, event: PatternRemixed) -> None:
        """A remix of another artist's pattern: a first for both of them."""
        if event.original_creator_id != event.remixer_id:
            await self._award([event.original_creator_id], [FIRST_REMIXED])
            await self._award([event.remixer_id], [FIRST_REMIX])

    async def collaboration_accepted(self, event: CollaborationAccepted) -> None:
        """A collaboration begun: a first for both artists."""
        await self._award([event.requester_id, event.recipient_id], [FIRST_COLLABORATION])

    def subscribe(self, bus: MessageBus) -> None:
        """Register every handler on the bus."""
        bus.subscribe_batch(PatternLiked, self.pattern_liked)
        bus.subscribe_batch(UserFollowed, self.artist_followed)
        bus.subscribe_batch(PatternCreated, self.pattern_created)
        bus.subscribe(PatternRemixed, self.pattern_remixed)
        bus.subscribe(CollaborationAccepted, self.collaboration_accepted)
