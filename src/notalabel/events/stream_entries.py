"""How an event is written on the Redis stream and read back."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.typing import EncodableT, FieldT


@dataclass(frozen=True, slots=True)
class Entry:
    """One event on the stream, as a consumer reads it."""

    stream_id: str
    event_id: int
    name: str
    payload: dict[str, Any]
    handlers: tuple[str, ...]


def handler_stream(stream: str, handler: str) -> str:
    """The stream of the entries meant for `handler` (its consumer group reads only those)."""
    return f"{stream}:to:{handler}"


def handler_streams_pattern(stream: str) -> str:
    """A SCAN pattern that matches every handler stream of `stream`, and nothing else."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", stream) + ":to:*"


def text(value: Any) -> str:
    """A Redis reply value as text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def read_entry(stream_id: Any, fields: dict[Any, Any]) -> Entry:
    """An entry from the raw fields XADD wrote (see `EventStreams.publish`)."""
    got = {text(k): text(v) for k, v in fields.items()}
    return Entry(
        stream_id=text(stream_id),
        event_id=int(got["id"]),
        name=got["name"],
        payload=json.loads(got["payload"]),
        handlers=tuple(json.loads(got["handlers"])),
    )


def entry_fields(
    event_id: int, name: str, payload: Any, handlers: Sequence[str]
) -> dict[FieldT, EncodableT]:
    """What XADD writes for one event meant for `handlers`."""
    return {
        "id": event_id,
        "name": name,
        "payload": json.dumps(payload),
        "handlers": json.dumps(list(handlers)),
    }
