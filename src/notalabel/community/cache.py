"""Cached match results: Redis in production, this process's memory on the embedded default.

An entry is found through generation numbers: one for everybody (bumped when any artist joins,
leaves or changes what their card or DNA shows) and one per artist (bumped by their blocks and
unblocks, both sides). A key carries the generations read before the answer was computed, so
an event that lands while a query runs leaves that answer unreachable rather than stale.
Entries live at most an hour, as in the seed. The cache is only an optimisation: when Redis
fails, queries are computed and the failure is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

TTL_SECONDS = 3600
GENERATION_TTL_SECONDS = 7 * 24 * 3600  # far longer than any entry lives
MEMORY_ENTRIES = 10_000
_PREFIX = "nal:community:"
EVERYONE = "*"


class MatchCache(Protocol):
    """Where computed answers are kept."""

    async def get(self, user_id: str, name: str) -> tuple[str | None, str]:
        """The cached answer for `user_id`'s query `name` (or None), and the key to store it."""

    async def put(self, key: str, value: str) -> None:
        """Keep an answer under the key `get` gave."""

    async def invalidate(self, user_ids: tuple[str, ...] = ()) -> None:
        """Make every answer for these artists (or, with none, for everyone) unreachable."""


def _key(user_id: str, name: str, everyone: int, mine: int) -> str:
    return f"{_PREFIX}{user_id}:{name}:{everyone}:{mine}"


class MemoryMatchCache:
    """The embedded default: one process, so its memory is the whole truth."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._generations: dict[str, int] = {}
        # key -> (expires at, value); insertion order is age order
        self._entries: dict[str, tuple[float, str]] = {}

    async def get(self, user_id: str, name: str) -> tuple[str | None, str]:
        """See MatchCache."""
        key = _key(user_id, name, self._generations.get(EVERYONE, 0),
                   self._generations.get(user_id, 0))  # fmt: skip
        found = self._entries.get(key)
        if found is None:
            return None, key
        if self._clock() >= found[0]:
            del self._entries[key]
            return None, key
        return found[1], key

    async def put(self, key: str, value: str) -> None:
        """See MatchCache."""
        if len(self._entries) >= MEMORY_ENTRIES:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (self._clock() + TTL_SECONDS, value)

    async def invalidate(self, user_ids: tuple[str, ...] = ()) -> None:
        """See MatchCache."""
        for scope in user_ids or (EVERYONE,):
            self._generations[scope] = self._generations.get(scope, 0) + 1


class RedisMatchCache:
    """Production: shared by every worker, so an event in one reaches all."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def get(self, user_id: str, name: str) -> tuple[str | None, str]:
        """See MatchCache; a Redis failure reads as a miss (and is logged)."""
        try:
            everyone, mine = await self._redis.mget(_gen(EVERYONE), _gen(user_id))
            key = _key(user_id, name, int(everyone or 0), int(mine or 0))
            value = await self._redis.get(key)
        except Exception:
            logger.warning("match cache unavailable: computing", exc_info=True)
            return None, ""
        text = value.decode() if isinstance(value, bytes) else value
        return text, key

    async def put(self, key: str, value: str) -> None:
        """See MatchCache; nothing is kept when Redis fails (logged)."""
        if not key:
            return
        try:
            await self._redis.set(key, value, ex=TTL_SECONDS)
        except Exception:
            logger.warning("match cache unavailable: answer not kept", exc_info=True)

    async def invalidate(self, user_ids: tuple[str, ...] = ()) -> None:
        """See MatchCache; a failure raises, so the event bus logs and counts it."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for scope in user_ids or (EVERYONE,):
                pipe.incr(_gen(scope))
                pipe.expire(_gen(scope), GENERATION_TTL_SECONDS)
            await pipe.execute()


def _gen(scope: str) -> str:
    return f"{_PREFIX}generation:{scope}"
