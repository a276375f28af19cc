"""The sockets of this process, by artist (fanout.py reaches every process's)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from typing import Any

logger = logging.getLogger(__name__)

QUEUE_SIZE = 100

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
