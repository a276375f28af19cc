"""Voiceprints sealed at rest (pure): AES-256-GCM, bound to the artist they belong to.

A voiceprint is biometric data. The database only ever holds it sealed under the key from the
settings, with the artist's id as associated data, so a row copied onto another account does
not open. The first byte names the format. Keys rotate: rows sealed under a retired key still
open, and `reseal` moves them to the current one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

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

    def __init__(self, key: bytes, retired: Sequence[bytes] = ()) -> None:
        # the current key first: it seals, and it is tried first when opening
        self._keys = [AESGCM(key), *(AESGCM(old) for old in retired)]

    def seal(self, owner_id: str, document: dict[str, object]) -> bytes:
        """Encrypt `document` (JSON; numpy arrays become lists) for `owner_id`."""
        plain = orjson.dumps(document, option=orjson.OPT_SERIALIZE_NUMPY)
        nonce = os.urandom(_NONCE_BYTES)
        return _VERSION + nonce + self._keys[0].encrypt(nonce, plain, _context(owner_id))

    def open(self, owner_id: str, sealed: bytes) -> dict[str, object]:
        """The document sealed for `owner_id`; SealBroken when it is not theirs or was altered."""
        return self._open(owner_id, sealed)[0]

    def reseal(self, owner_id: str, sealed: bytes) -> bytes | None:
        """The row sealed anew under the current key, or None when it already is."""
        document, key_index = self._open(owner_id, sealed)
        return self.seal(owner_id, document) if key_index else None

    def _open(self, owner_id: str, sealed: bytes) -> tuple[dict[str, object], int]:
        if sealed[:1] != _VERSION:
            raise SealBroken("unknown voiceprint format")
        nonce, body = sealed[1 : 1 + _NONCE_BYTES], sealed[1 + _NONCE_BYTES :]
        for index, aead in enumerate(self._keys):
            try:
                plain = aead.decrypt(nonce, body, _context(owner_id))
            except (InvalidTag, ValueError):
                continue
            document: dict[str, object] = orjson.loads(plain)
            return document, index
        raise SealBroken("voiceprint does not open with any key for this artist")


def vector(document: dict[str, object], key: str) -> np.ndarray:
    """A float32 array (a vector, or a matrix of rows) stored under `key` of a document."""
    return np.asarray(document[key], dtype=np.float32)


def _context(owner_id: str) -> bytes:
    return b"notalabel voiceprint v1|" + owner_id.encode()
