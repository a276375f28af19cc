"""Voiceprints sealed at rest (pure): AES-256-GCM, bound to the artist they belong to.

A voiceprint is biometric data. The database only ever holds it sealed under the key from the
settings, with the artist's id as associated data, so a row copied onto another account does
not open. The first byte names the format, so a later key rotation can tell old rows apart.
"""

from __future__ import annotations

import os

import numpy as np
import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = b"\x01"
_NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed voiceprint that does not open: another key, another artist, or tampering."""


class VoiceprintSeal:
    """Seals and opens JSON documents and vectors for one artist at a time."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, owner_id: str, document: dict[str, object]) -> bytes:
        """Encrypt `document` (JSON; numpy arrays become lists) for `owner_id`."""
        plain = orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY)
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._aead.encrypt(nonce, plain, _context(owner_id))

    def open(self, owner_id: str, sealed: bytes) -> dict[str, object]:
        """The document sealed for `owner_id`; SealBroken when it is not theirs or was altered."""
        if sealed[:1] != _VERSION:
            raise SealBroken("unknown voiceprint format")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        try:
            plain = self._aead.decrypt(nonce, body, _context(owner_id))
        except (InvalidTag, ValueError) as exc:
            raise SealBroken("voiceprint does not open with this key for this artist") from exc
        document: dict[str, object] = orjson.loads(plain)
        return document


def vector(document: dict[str, object], key: str) -> np.ndarray:
    """A float32 array (a vector, or a matrix of rows) stored under `key` of a document."""
    return np.asarray(document[key], dtype=np.float32)


def _context(owner_id: str) -> bytes:
    return b"notalabel voiceprint v1|" + owner_id.encode()
