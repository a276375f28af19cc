"""Opaque keyset cursors for feeds and search: the list, the last row's sort key and its id."""

from __future__ import annotations

import base64
import binascii
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from notalabel.discovery.exceptions import CURSOR_MESSAGE, InvalidCursor

MAX_CURSOR_LENGTH = 200
_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Position:
    """Where the previous page stopped: its sort key (a time or a score) and the row id."""

    key: datetime | float
    id: str


def encode(kind: str, key: datetime | float, row_id: str) -> str:
    """The cursor that continues list `kind` after the row (`key`, `row_id`)."""
    # repr of a float reads back to the very same float, so equal keys compare equal
    text = key.astimezone(UTC).isoformat() if isinstance(key, datetime) else repr(float(key))
    raw = _SEPARATOR.join((kind, text, row_id))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(kind: str, value: str, *, timed: bool) -> Position:
    """Read a cursor of list `kind` back (a time key if `timed`, else a score)."""
    if len(value) > MAX_CURSOR_LENGTH:
        raise InvalidCursor(CURSOR_MESSAGE)
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        found, text, row_id = raw.split(_SEPARATOR, 2)
        key: datetime | float = datetime.fromisoformat(text) if timed else float(text)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise InvalidCursor(CURSOR_MESSAGE) from exc
    if found != kind or not row_id:
        raise InvalidCursor(CURSOR_MESSAGE)
    if isinstance(key, datetime):
        # a naive time could not be compared with the stored UTC ones
        if key.tzinfo is None:
            raise InvalidCursor(CURSOR_MESSAGE)
        key = key.astimezone(UTC)
    elif not math.isfinite(key):
        raise InvalidCursor(CURSOR_MESSAGE)
    return Position(key, row_id)
