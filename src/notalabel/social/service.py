"""Follows and blocks as transactions, plus count and block helpers other features reuse."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import Exists, ScalarSelect

from notalabel.db import Database, utcnow
from notalabel.errors import InvalidInput, Unauthorized
from notalabel.events import Event, MessageBus
from notalabel.security import NO_TOKEN
from notalabel.social.cursor import decode_cursor, encode_cursor
from notalabel.social.events import UserBlocked, UserFollowed, UserUnblocked, UserUnfollowed
from notalabel.social.exceptions import Blocked
from notalabel.social.models import Block, Follow
from notalabel.social.schemas import BlockState, FollowState, RelatedArtist, RelationPage
from notalabel.users.exceptions import UserNotFound
from notalabel.users.models import User
from notalabel.users.service import find_by_ref

ME = "me"
BLOCKED_MESSAGE = "You can't follow this artist."


@dataclass(frozen=True, slots=True)
class RelationCounts:
    """How many follow a user and how many they follow."""

    followers: int
    following: int


_FOLLOWS: Table = Follow.__table__  # type: ignore[assignment]
_BLOCKS: Table = Block.__table__  # type: ignore[assignment]


def followers_count(user_id: ColumnElement[str]) -> ScalarSelect[int]:
    """How many follow `user_id` (a column or a parameter), as a scalar subquery."""
    return select(func.count()).where(_FOLLOWS.c.followee_id == user_id).scalar_subquery()


def following_count(user_id: ColumnElement[str]) -> ScalarSelect[int]:
    """How many `user_id` follows, as a scalar subquery."""
    return select(func.count()).where(_FOLLOWS.c.follower_id == user_id).scalar_subquery()


def blocked_between(a_id: ColumnElement[str], b_id: ColumnElement[str]) -> Exists:
    """True if either user blocked the other, as an EXISTS."""
    return exists().where(
        or_(
            and_(_BLOCKS.c.blocker_id == a_id, _BLOCKS.c.blocked_id == b_id),
            and_(_BLOCKS.c.blocker_id == b_id, _BLOCKS.c.blocked_id == a_id),
        )
    )


def follows(follower_id: ColumnElement[str], followee_id: ColumnElement[str]) -> Exists:
    """True if `follower_id` follows `followee_id`, as an EXISTS."""
    return exists().where(
        and_(_FOLLOWS.c.follower_id == follower_id, _FOLLOWS.c.followee_id == followee_id)
    )


def followees_of(viewer_id: ColumnElement[str]) -> Select[tuple[str]]:
    """The ids `viewer_id` follows, as a subquery for `IN`."""
    return select(_FOLLOWS.c.followee_id).where(_FOLLOWS.c.follower_id == viewer_id)


# built once: only the parameters change
_RELATION_COUNTS = select(
    followers_count(bindparam("user_id")), following_count(bindparam("user_id"))
)
_IS_BLOCKED = select(blocked_between(bindparam("a_id"), bindparam("b_id")))
_BLOCKED_EITHER_WAY = union(
    select(_BLOCKS.c.blocked_id).where(_BLOCKS.c.blocker_id == bindparam("user_id")),
    select(_BLOCKS.c.blocker_id).where(_BLOCKS.c.blocked_id == bindparam("user_id")),
)


def count_relations(conn: Connection, user_id: str) -> RelationCounts:
    """Count the follow rows of `user_id` (never a stored counter, so it cannot drift)."""
    followers, following = conn.execute(_RELATION_COUNTS, {"user_id": user_id}).one()
    return RelationCounts(followers=followers, following=following)


def either_blocked(conn: Connection, a_id: str, b_id: str) -> bool:
    """True if either user blocked the other."""
    return bool(conn.execute(_IS_BLOCKED, {"a_id": a_id, "b_id": b_id}).scalar())


def blocked_pairs(conn: Connection, pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    """Of `pairs`, those where either one blocked the other (each as a frozenset), one query."""
    wanted = {frozenset(pair) for pair in pairs if pair[0] != pair[1]}
    if not wanted:
        return set()
    people = sorted({person for pair in wanted for person in pair})
    query = select(_BLOCKS.c.blocker_id, _BLOCKS.c.blocked_id).where(
        _BLOCKS.c.blocker_id.in_(people), _BLOCKS.c.blocked_id.in_(people)
    )
    found = {frozenset(row) for row in conn.execute(query)}
    return wanted & found


def blocked_either_way(conn: Connection, user_id: str) -> set[str]:
    """Everyone `user_id` blocked or was blocked by."""
    return set(conn.execute(_BLOCKED_EITHER_WAY, {"user_id": user_id}).scalars())


async def relation_counts(tx: AsyncSession, user_id: str) -> RelationCounts:
    """`count_relations` inside an ORM transaction."""
    return await tx.run_sync(lambda session: count_relations(session.connection(), user_id))


async def is_blocked(tx: AsyncSession, a_id: str, b_id: str) -> bool:
    """`either_blocked` inside an ORM transaction."""
    return await tx.run_sync(lambda session: either_blocked(session.connection(), a_id, b_id))


class SocialService:
    """Runs each follow or block change in one transaction and publishes what happened."""

    def __init__(self, db: Database, bus: MessageBus) -> None:
        self._db = db
        self._bus = bus

    async def follow(self, viewer_id: str, ref: str) -> FollowState:
        """Follow the artist `ref` names; following twice keeps one row."""
        events: list[Event] = []
        async with self._db.transaction() as tx:
            target = await self._other(tx, viewer_id, ref, "follow")
            await self._lock_pair(tx, viewer_id, target.id)
            if await is_blocked(tx, viewer_id, target.id):
                raise Blocked(BLOCKED_MESSAGE)
            row = Follow(follower_id=viewer_id, followee_id=target.id, created_at=utcnow())
            if await self._insert_once(tx, row, (viewer_id, target.id)):
                events.append(UserFollowed(follower_id=viewer_id, followee_id=target.id))
            counts = await relation_counts(tx, target.id)
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        return _follow_state(True, counts)

    async def unfollow(self, viewer_id: str, ref: str) -> FollowState:
        """Stop following the artist `ref` names; fine if not following."""
        events: list[Event] = []
        async with self._db.transaction() as tx:
            target = await self._other(tx, viewer_id, ref, "unfollow")
            gone = await _delete(tx, Follow, _follows(viewer_id, target.id))
            events += [UserUnfollowed(follower_id=a, followee_id=b) for a, b in gone]
            counts = await relation_counts(tx, target.id)
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        return _follow_state(False, counts)

    async def block(self, viewer_id: str, ref: str) -> BlockState:
        """Block the artist `ref` names and end the follows between the two, both ways."""
        events: list[Event] = []
        async with self._db.transaction() as tx:
            target = await self._other(tx, viewer_id, ref, "block")
            await self._lock_pair(tx, viewer_id, target.id)
            row = Block(blocker_id=viewer_id, blocked_id=target.id, created_at=utcnow())
            if await self._insert_once(tx, row, (viewer_id, target.id)):
                events.append(UserBlocked(blocker_id=viewer_id, blocked_id=target.id))
            both_ways = or_(_follows(viewer_id, target.id), _follows(target.id, viewer_id))
            gone = await _delete(tx, Follow, both_ways)
            events += [UserUnfollowed(follower_id=a, followee_id=b) for a, b in gone]
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        return BlockState(blocked=True)

    async def unblock(self, viewer_id: str, ref: str) -> BlockState:
        """Lift the caller's block of the artist `ref` names; fine if there was none."""
        events: list[Event] = []
        async with self._db.transaction() as tx:
            target = await self._other(tx, viewer_id, ref, "unblock")
            mine = and_(Block.blocker_id == viewer_id, Block.blocked_id == target.id)
            gone = await _delete(tx, Block, mine)
            events += [UserUnblocked(blocker_id=a, blocked_id=b) for a, b in gone]
            await self._bus.stage_in(tx, events)
        await self._bus.deliver(events)
        return BlockState(blocked=False)

    async def followers(
        self, viewer_id: str | None, ref: str, limit: int, cursor: str | None
    ) -> RelationPage:
        """Who follows the artist `ref` names, newest first."""
        return await self._follow_page(
            viewer_id, ref, Follow.follower_id, Follow.followee_id, limit=limit, cursor=cursor
        )

    async def following(
        self, viewer_id: str | None, ref: str, limit: int, cursor: str | None
    ) -> RelationPage:
        """Whom the artist `ref` names follows, newest first."""
        return await self._follow_page(
            viewer_id, ref, Follow.followee_id, Follow.follower_id, limit=limit, cursor=cursor
        )

    async def _follow_page(
        self,
        viewer_id: str | None,
        ref: str,
        listed: InstrumentedAttribute[str],
        anchor: InstrumentedAttribute[str],
        *,
        limit: int,
        cursor: str | None,
    ) -> RelationPage:
        """One page of the follow rows whose `anchor` side is the artist `ref` names."""
        async with self._db.transaction() as tx:
            target = await self._visible(tx, viewer_id, ref)
            return await _page(
                tx, listed, Follow.created_at, anchor == target.id, limit=limit, cursor=cursor
            )

    async def blocks(self, viewer_id: str, limit: int, cursor: str | None) -> RelationPage:
        """Whom the caller has blocked, newest first."""
        async with self._db.transaction() as tx:
            return await _page(
                tx,
                Block.blocked_id,
                Block.created_at,
                Block.blocker_id == viewer_id,
                limit=limit,
                cursor=cursor,
            )

    # helpers

    async def _other(self, tx: AsyncSession, viewer_id: str, ref: str, verb: str) -> User:
        target = await _resolve(tx, viewer_id, ref)
        if target.id == viewer_id:
            raise InvalidInput(f"You can't {verb} yourself.")
        return target

    async def _visible(self, tx: AsyncSession, viewer_id: str | None, ref: str) -> User:
        target = await _resolve(tx, viewer_id, ref)
        # a block hides the lists exactly as if the artist did not exist
        if viewer_id is not None and await is_blocked(tx, viewer_id, target.id):
            raise UserNotFound("No artist with that id or name.")
        return target

    async def _lock_pair(self, tx: AsyncSession, a_id: str, b_id: str) -> None:
        # without it, a follow could check "not blocked" while a block of the same pair
        # commits, and leave a follow behind the block; SQLite already runs one writer at a time
        if self._db.is_sqlite:
            return
        pair = "|".join(sorted((a_id, b_id))).encode()
        key = int.from_bytes(hashlib.sha256(pair).digest()[:8], "big", signed=True)
        await tx.execute(select(func.pg_advisory_xact_lock(key)))

    @staticmethod
    async def _insert_once(tx: AsyncSession, row: Follow | Block, key: tuple[str, str]) -> bool:
        """Add `row` unless it exists; a concurrent twin's insert is not an error."""
        if await tx.get(type(row), key) is not None:
            return False
        try:
            async with tx.begin_nested():
                tx.add(row)
                await tx.flush()
        except IntegrityError:
            return False
        return True


async def _resolve(tx: AsyncSession, viewer_id: str | None, ref: str) -> User:
    """The user `ref` names: `me`, an id, or an artist name in any case and spacing."""
    if ref == ME:
        if viewer_id is None:
            raise Unauthorized(NO_TOKEN)
        ref = viewer_id
    user = await find_by_ref(tx, ref)
    if user is None:
        raise UserNotFound("No artist with that id or name.")
    return user


async def _page(
    tx: AsyncSession,
    other: InstrumentedAttribute[str],
    created: InstrumentedAttribute[datetime],
    scope: ColumnElement[bool],
    *,
    limit: int,
    cursor: str | None,
) -> RelationPage:
    """One keyset page of the users in `other`, ordered by (`created`, `other`) descending."""
    query = select(User, created).join(User, User.id == other).where(scope)
    if cursor is not None:
        after = decode_cursor(cursor)
        query = query.where(
            or_(
                created < after.created_at, and_(created == after.created_at, other < after.user_id)
            )
        )
    rows = (await tx.execute(query.order_by(created.desc(), other.desc()).limit(limit + 1))).all()
    items = [
        RelatedArtist(
            id=user.id,
            artist_name=user.artist_name,
            avatar=(user.profile or {}).get("avatar"),
            followed_at=at,
        )
        for user, at in rows[:limit]
    ]
    more = len(rows) > limit
    next_cursor = encode_cursor(items[-1].followed_at, items[-1].id) if more else None
    return RelationPage(items=items, next_cursor=next_cursor)


def _follows(follower_id: str, followee_id: str) -> ColumnElement[bool]:
    return and_(Follow.follower_id == follower_id, Follow.followee_id == followee_id)


async def _delete(
    tx: AsyncSession, table: type[Follow] | type[Block], where: ColumnElement[bool]
) -> list[tuple[str, str]]:
    """Delete matching rows and say which went; a concurrent twin finding none is fine."""
    # both tables' keys are (who acted, who it was done to), in that order
    columns = table.__mapper__.primary_key
    result = await tx.execute(delete(table).where(where).returning(*columns))
    return [(a, b) for a, b in result.all()]


def _follow_state(following: bool, counts: RelationCounts) -> FollowState:
    return FollowState(
        following=following, followers_count=counts.followers, following_count=counts.following
    )
