"""Recovery codes: generation, the typeable form and their storage digest (pure)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

CODES_PER_SET = 10
# Crockford's base32 alphabet: no i, l, o or u, so a code read aloud or retyped survives
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
GROUPS = 4
GROUP_LENGTH = 4
# 16 symbols of 5 bits: 80 bits per code, out of reach of online guessing and costly offline
CODE_BITS = GROUPS * GROUP_LENGTH * 5
_LOOKALIKES = str.maketrans({"i": "1", "l": "1", "o": "0"})
_SEPARATORS = str.maketrans("", "", " -_")


def new_code() -> str:
    """One random code in groups: `7kq4-x9m2-c3vd-8hzt`."""
    # 80 random bits read 5 at a time: one read of the system's random source per code
    bits = int.from_bytes(secrets.token_bytes(CODE_BITS // 8))
    symbols = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(GROUPS * GROUP_LENGTH))
    groups = [symbols[i : i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH)]
    return "-".join(groups)


def new_code_set(count: int = CODES_PER_SET) -> list[str]:
    """`count` distinct fresh codes."""
    codes: dict[str, None] = {}
    while len(codes) < count:
        codes[new_code()] = None
    return list(codes)


def normalize_code(typed: str) -> str | None:
    """The canonical symbols of a typed code (any case, spacing, dashes, O for 0), or None."""
    symbols = typed.strip().lower().translate(_SEPARATORS).translate(_LOOKALIKES)
    if len(symbols) != GROUPS * GROUP_LENGTH or any(s not in ALPHABET for s in symbols):
        return None
    return symbols


def code_digest(user_id: str, code: str) -> str:
    """What is stored for a code: HMAC-SHA256 keyed by the account, so sets never collide."""
    symbols = normalize_code(code) or ""
    return hmac.new(user_id.encode(), symbols.encode(), hashlib.sha256).hexdigest()


def matching_digest(candidate: str, stored: list[str]) -> str | None:
    """The stored digest equal to `candidate`, comparing every one in constant time."""
    found: str | None = None
    for digest in stored:
        if hmac.compare_digest(candidate, digest):
            found = digest
    return found
