"""How a push reaches an artist's sockets on every worker, and what a reconnecting one missed.

Every push gets an id, in Redis stream form (`<ms>-<n>`, increasing per artist), and is kept in
a replay log of the artist's last REPLAY_KEPT pushes (for REPLAY_SECONDS). A socket that
connects again with the last id it saw gets what came after it; one whose id has fallen out of
the log is told to resync (read its counts afresh).

- One process (the embedded default): the log is in memory and the hub is everyone.
- Production: the log is a capped Redis stream per artist, and the push is published on a
  Redis channel that every worker's listener pushes from, so a socket on any worker hears
  what happened on any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import defaultdict, deque
from collections.abc import Sequence
from typing import Any, Protocol

from notalabel.realtime.hub import Hub, Message

Push = tuple[str, Message]  # to whom, what
logger = logging.getLogger(__name__)

CHANNEL = "notalabel:realtime"
# what the channel carries is a list of pushes: a channel of its own, so that during a rolling
# deploy a worker that expects one push a message hears nothing rather than what it misreads
PUSHES = f"{CHANNEL}:pushes"
REPLAY_KEPT = 100
REPLAY_SECONDS = 24 * 3600


def id_key(message_id: str) -> tuple[int, int]:
    """A push id as a sortable pair; ValueError for anything else."""
    millis, _, seq = message_id.partition("-")
    return int(millis), int(seq or 0)


class Fanout(Protocol):
    """Sends a message to an artist's sockets, wherever they are open."""

    async def send_many(self, pushes: Sequence[Push]) -> None:
        """Give each (user id, message) an id, log it for replay and push it to their sockets."""

    async def since(self, user_id: str, last_id: str) -> list[Message] | None:
        """The artist's pushes after `last_id`, oldest first; None if it is no longer kept."""


class LocalFanout:
    """One process: an in-memory replay log, and the hub is everyone."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._log: dict[str, deque[Message]] = defaultdict(lambda: deque(maxlen=REPLAY_KEPT))
        self._last: tuple[int, int] = (0, 0)

    def _next_id(self) -> str:
        millis = int(time.time() * 1000)
        seq = self._last[1] + 1 if millis <= self._last[0] else 0
        self._last = (max(millis, self._last[0]), seq)
        return f"{self._last[0]}-{self._last[1]}"

    async def send_many(self, pushes: Sequence[Push]) -> None:
        """Log and push each to this process's sockets."""
        for user_id, message in pushes:
            stamped = {**message, "id": self._next_id()}
            self._log[user_id].append(stamped)
            self._hub.push(user_id, stamped)

    async def since(self, user_id: str, last_id: str) -> list[Message] | None:
        """From the in-memory log."""
        kept = list(self._log.get(user_id, ()))
        return _after(kept, last_id, complete=len(kept) < REPLAY_KEPT)


class RedisFanout:
    """Many workers: a capped Redis stream per artist, and a channel every worker listens to."""

    def __init__(self, hub: Hub, redis: Any, listener: Any) -> None:
        self._hub = hub
        self._redis = redis  # the shared client, quick to give up
        self._listener = listener  # its own client: a subscription blocks on reads
        self._send = redis.register_script(_SEND)

    async def send_many(self, pushes: Sequence[Push]) -> None:
        """Append each to its artist's stream and publish them as one message, in one round trip."""
        if not pushes:
            return
        args: list[Any] = [REPLAY_KEPT, REPLAY_SECONDS, PUSHES]
        for user_id, message in pushes:
            args += [json.dumps(user_id), json.dumps(message)]
        await self._send(keys=[_stream(user_id) for user_id, _ in pushes], args=args)

    async def since(self, user_id: str, last_id: str) -> list[Message] | None:
        """From the artist's stream."""
        entries = await self._redis.xrange(_stream(user_id), min="-", max="+")
        kept = []
        for raw_id, fields in entries:
            message_id = raw_id.decode() if isinstance(raw_id, bytes) else str(raw_id)
            body = fields.get(b"m", fields.get("m"))
            kept.append({**json.loads(body), "id": message_id})
        return _after(kept, last_id, complete=len(kept) < REPLAY_KEPT)

    async def close(self) -> None:
        """Release the listener's Redis client."""
        await self._listener.aclose()

    async def listen_forever(self) -> None:
        """Push what the channel carries to this worker's sockets; resubscribe after errors."""
        while True:
            pubsub = self._listener.pubsub()
            try:
                await pubsub.subscribe(PUSHES)
                while True:
                    found = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if found is None:
                        continue
                    for push in json.loads(found["data"]):
                        self._hub.push(push["user"], {**push["message"], "id": push["id"]})
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the realtime listener lost Redis; subscribing again")
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


# per push (KEYS[i]: the artist's stream; ARGV: kept, seconds, channel, then user and message
# as JSON, pair by pair) XADD and EXPIRE; then one PUBLISH of them all, each with its new id
_SEND = """
local pushes = {}
for i, key in ipairs(KEYS) do
  local user, message = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  local id = redis.call('XADD', key, 'MAXLEN', ARGV[1], '*', 'm', message)
  redis.call('EXPIRE', key, ARGV[2])
  pushes[i] = '{"user":' .. user .. ',"id":"' .. id .. '","message":' .. message .. '}'
end
redis.call('PUBLISH', ARGV[3], '[' .. table.concat(pushes, ',') .. ']')
return #pushes
"""


def _stream(user_id: str) -> str:
    return f"{CHANNEL}:{user_id}"


def _after(kept: list[Message], last_id: str, *, complete: bool) -> list[Message] | None:
    """What follows `last_id` in `kept`; None when `last_id` is older than what is kept.

    `complete`: the log holds everything since the artist's first push (nothing trimmed yet),
    so an id before its start missed nothing that is gone.
    """
    seen = id_key(last_id)
    if seen[0] < (time.time() - REPLAY_SECONDS) * 1000:
        return None  # older than anything kept: the log may have expired since
    if kept and seen < id_key(kept[0]["id"]) and not complete:
        return None
    return [m for m in kept if id_key(m["id"]) > seen]
