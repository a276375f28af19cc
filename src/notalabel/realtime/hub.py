"""The sockets of this process, by artist, and the fan-out that reaches every process's.

A push goes through a Fanout: in one process (the embedded default) straight to this process's
Hub; in production through a Redis channel that every worker listens to, so a socket on any
worker hears what happened on any other.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from typing import Any, Protocol

logger = logging.getLogger(__name__)

QUEUE_SIZE = 100
CHANNEL = "notalabel:realtime"

Message = dict[str, Any]


class Hub:
    """Each open socket of this process is a bounded queue, filed under its artist."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Message | None]]] = defaultdict(set)

    def open(self, user_id: str) -> asyncio.Queue[Message | None]:
        """A queue that receives every push to `user_id` until it is closed."""
        queue: asyncio.Queue[Message | None] = asyncio.Queue(QUEUE_SIZE)
        self._queues[user_id].add(queue)
        return queue

    def close(self, user_id: str, queue: asyncio.Queue[Message | None]) -> None:
        """Stop filling `queue`."""
        queues = self._queues.get(user_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[user_id]

    def push(self, user_id: str, message: Message) -> None:
        """Hand `message` to each of the artist's sockets here; a socket that fell behind ends."""
        for queue in list(self._queues.get(user_id, ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                # a reader this far behind is gone or stuck: it is closed and reconnects
                self.close(user_id, queue)
                with contextlib.suppress(asyncio.QueueFull):
                    queue.get_nowait()
                    queue.put_nowait(None)

    @property
    def sockets(self) -> int:
        """How many sockets are open here."""
        return sum(len(queues) for queues in self._queues.values())


class Fanout(Protocol):
    """Sends a message to an artist's sockets, wherever they are open."""

    async def send(self, user_id: str, message: Message) -> None:
        """Deliver `message` to every socket of `user_id`."""


class LocalFanout:
    """One process: the hub is everyone."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub

    async def send(self, user_id: str, message: Message) -> None:
        """Push to this process's sockets."""
        self._hub.push(user_id, message)


class RedisFanout:
    """Many workers: publish on a Redis channel that each worker's listener pushes from."""

    def __init__(self, hub: Hub, redis: Any, listener: Any) -> None:
        self._hub = hub
        self._redis = redis  # the shared client, quick to give up
        self._listener = listener  # its own client: a subscription blocks on reads

    async def send(self, user_id: str, message: Message) -> None:
        """Publish for every worker (this one included, through its listener)."""
        await self._redis.publish(CHANNEL, json.dumps({"user": user_id, "message": message}))

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
                    self._hub.push(body["user"], body["message"])
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("the realtime listener lost Redis; subscribing again")
                await asyncio.sleep(1.0)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
