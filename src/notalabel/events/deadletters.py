"""Dead letters: events a handler kept failing on, listed and replayed by an operator.

The embedded default parks them in the `event_dead_letters` table (relay.py); production parks
them in the dead-letter stream `<stream>:dead` (streams.py). `notalabel events dead-letters`
and `notalabel events replay ID` read whichever the settings use, through `DeadLetterStore`.
A replay puts the event back for its one handler, once.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import ResponseError
from redis.typing import EncodableT, FieldT

from notalabel.db import Database, utcnow
from notalabel.events import outbox
from notalabel.events.outbox import DeadLetter
from notalabel.events.stream_entries import Entry, entry_fields, handler_stream, text

KEPT = 10_000


def dead_stream(stream: str) -> str:
    """The dead-letter stream of `stream`."""
    return f"{stream}:dead"


def _replayed_key(stream: str) -> str:
    # stream entries cannot be changed: when each letter was replayed is kept beside them
    return f"{stream}:dead:replayed"


async def park(
    redis: Redis, stream: str, entry: Entry, *, handler: str, attempts: int, error: str
) -> None:
    """Append `entry`, which `handler` failed on `attempts` times, to the dead-letter stream."""
    fields: dict[FieldT, EncodableT] = {
        "event_id": entry.event_id,
        "name": entry.name,
        "payload": json.dumps(entry.payload),
        "handler": handler,
        "attempts": attempts,
        "error": error[:4000],
        "failed_at": utcnow().isoformat(),
    }
    await redis.xadd(dead_stream(stream), fields, maxlen=KEPT, approximate=True)


class DeadLetterStore(Protocol):
    """Where dead letters are kept."""

    async def list(self, *, include_replayed: bool = False) -> list[DeadLetter]:
        """The dead letters, oldest first (replayed ones only when asked)."""

    async def replay(self, letter_id: str) -> DeadLetter | None:
        """Queue a letter's event again for its handler; None if there is no such letter.

        A letter replayed before comes back with its `replayed_at` and is not queued again.
        """


class TableDeadLetters:
    """The embedded default's dead letters (the outbox's table)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def list(self, *, include_replayed: bool = False) -> list[DeadLetter]:
        """The dead letters, oldest first (replayed ones only when asked)."""
        return await self._db.read(
            lambda conn: outbox.dead_letters(conn, include_replayed=include_replayed)
        )

    async def replay(self, letter_id: str) -> DeadLetter | None:
        """Put the event back in the outbox for its handler."""
        return await self._db.run(lambda conn: outbox.requeue(conn, letter_id))


class StreamDeadLetters:
    """Production's dead letters (the dead-letter stream)."""

    def __init__(self, redis: Redis, stream: str) -> None:
        self._redis = redis
        self._stream = stream

    async def list(self, *, include_replayed: bool = False) -> list[DeadLetter]:
        """The dead letters, oldest first (replayed ones only when asked)."""
        entries: Any = await self._redis.xrange(dead_stream(self._stream))
        replayed = await self._redis.hgetall(_replayed_key(self._stream))
        letters = [_letter(stream_id, fields, replayed) for stream_id, fields in entries]
        return [x for x in letters if include_replayed or x.replayed_at is None]

    async def replay(self, letter_id: str) -> DeadLetter | None:
        """Append the event to the stream again, addressed to its one handler."""
        try:
            found: Any = await self._redis.xrange(dead_stream(self._stream), letter_id, letter_id)
        except ResponseError:  # not a stream id: no such letter
            return None
        if not found:
            return None
        stream_id, raw = found[0]
        now = utcnow().isoformat()
        # HSETNX first: of two operators replaying one letter, one queues it
        if not await self._redis.hsetnx(_replayed_key(self._stream), letter_id, now):
            replayed = await self._redis.hgetall(_replayed_key(self._stream))
            return _letter(stream_id, raw, replayed)
        letter = _letter(stream_id, raw, {})
        fields = entry_fields(letter.event_id, letter.name, letter.payload, [letter.handler])
        await self._redis.xadd(
            handler_stream(self._stream, letter.handler), fields, maxlen=KEPT, approximate=True
        )
        return letter


def _letter(stream_id: Any, fields: dict[Any, Any], replayed: dict[Any, Any]) -> DeadLetter:
    got = {text(k): text(v) for k, v in fields.items()}
    marks = {text(k): text(v) for k, v in replayed.items()}
    letter_id = text(stream_id)
    when = marks.get(letter_id)
    return DeadLetter(
        id=letter_id,
        event_id=int(got["event_id"]),
        name=got["name"],
        handler=got["handler"],
        attempts=int(got["attempts"]),
        error=got["error"],
        failed_at=datetime.fromisoformat(got["failed_at"]),
        replayed_at=datetime.fromisoformat(when) if when else None,
        payload=json.loads(got["payload"]),
    )
