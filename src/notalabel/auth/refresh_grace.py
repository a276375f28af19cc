"""Sealing a refresh token's successor so only the holder of the old token can open it (pure).

Only hashes of refresh tokens are stored, yet a token presented again within the reuse grace
window must get the same successor back. The successor is kept encrypted with AES-GCM under a
key derived (HKDF-SHA256) from the presented token itself: the database alone cannot open it.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INFO = b"notalabel refresh-token successor v1"
_NONCE_BYTES = 12


def _key(presented: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        presented.encode()
    )


def seal_successor(presented: str, successor: str) -> bytes:
    """Encrypt `successor` under a key only `presented` derives: nonce || ciphertext+tag."""
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + AESGCM(_key(presented)).encrypt(nonce, successor.encode(), _INFO)


def open_successor(presented: str, sealed: bytes) -> str | None:
    """The sealed successor, or None when `presented` is not the token that sealed it."""
    nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        return AESGCM(_key(presented)).decrypt(nonce, body, _INFO).decode()
    except (InvalidTag, ValueError):
        return None


def within_grace(used_at: datetime, now: datetime, grace_seconds: int) -> bool:
    """Whether a rotated token presented at `now` is still a benign concurrent retry."""
    return now - used_at <= timedelta(seconds=grace_seconds)
