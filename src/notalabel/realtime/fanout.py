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
from typing import Any, Protocol

from notalabel.realtime.hub import Hub, Message

logger = logging.getLogger(__name__)

CHANNEL = "notalabel:realtime"
REPLAY_KEPT = 100
REPLAY_SECONDS = 24 * 3600


def id_key(message_id: str) -> tuple[int, int]:
    """A push id as a sortable pair; ValueError for anything else."""
    millis, _, seq = message_id.partition("-")
    return int(millis), int(seq or 0)


class Fanout(Protocol):
    """Sends a message to an artist's sockets, wherever they are open."""

    async def send(self, user_id: str, message: Message) -> None:
        """Give `message` an id, log it for replay and deliver it to every socket of `user_id`."""

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

    async def send(self, user_id: str, message: Message) -> None:
        """Log and push to this process's sockets."""
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

    async def send(self, user_id: str, message: Message) -> None:
        """Append to the artist's stream and publish for every worker, in one round trip."""
        await self._send(
            keys=[_stream(user_id)],
            args=[REPLAY_KEPT, json.dumps(message), REPLAY_SECONDS, CHANNEL, json.dumps(user_id)],
        )

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
                await pubsub.subscribe(CHANNEL)
                while True:
                    found = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if found is None:
                        continue
                    body = json.loads(found["data"])
                    self._hub.push(body["user"], {**body["message"], "id": body["id"]})
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the realtime listener lost Redis; subscribing again")
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


# XADD, EXPIRE and PUBLISH at once; the id Redis gives the entry goes out with the message
_SEND = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'm', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local body = '{"user":' .. ARGV[5] .. ',"id":"' .. id .. '","message":' .. ARGV[2] .. '}'
redis.call('PUBLISH', ARGV[4], body)
return id
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
