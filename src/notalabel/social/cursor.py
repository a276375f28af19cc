"""Opaque keyset cursors: the last row's timestamp and user id, base64url-encoded."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

from notalabel.errors import InvalidInput

_SEPARATOR = "|"
MAX_CURSOR_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the previous page stopped; the user id breaks ties between equal timestamps."""

    created_at: datetime
    user_id: str


def encode_cursor(created_at: datetime, user_id: str) -> str:
    """The opaque string a client passes back to continue after this row."""
    raw = f"{created_at.astimezone(UTC).isoformat()}{_SEPARATOR}{user_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(value: str) -> Cursor:
    """Read a cursor back, or InvalidInput when it was not one of ours."""
    problem = InvalidInput("That cursor is not valid; start again from the first page.")
    if len(value) > MAX_CURSOR_LENGTH:
        raise problem
    try:
        padded = value + "=" * (-len(value) % 4)
        raw = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        stamp, user_id = raw.split(_SEPARATOR, 1)
        created_at = datetime.fromisoformat(stamp)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise problem from exc
    # a naive time could not be compared with the stored UTC ones
    if created_at.tzinfo is None or not user_id:
        raise problem
    return Cursor(created_at.astimezone(UTC), user_id)
