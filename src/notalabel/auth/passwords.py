"""Password hashing (argon2id) and the password policy (pure, CPU-bound)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
# a few of the most common passwords of at least the minimum length; length does the rest
_COMMON = frozenset(
    {
        "1234567890",
        "123456789a",
        "password12",
        "password123",
        "qwertyuiop",
        "iloveyou12",
        "1q2w3e4r5t",
        "qwerty1234",
        "abcdefghij",
        "0987654321",
        "letmein123",
        "welcome123",
        "passw0rd12",
        "trustno1234",
    }
)

_hasher = PasswordHasher()  # argon2id with the RFC 9106 low-memory profile


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; never raises on a wrong or malformed hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def dummy_hash() -> str:
    """A hash to verify against when there is no account, so both paths cost the same."""
    return _hasher.hash("not-a-label-dummy-password")


def password_problem(password: str, *, artist_name: str, email: str) -> str | None:
    """Why `password` is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    lowered = password.casefold()
    if lowered in _COMMON or len(set(lowered)) < 4:
        return "That password is too easy to guess."
    local_part = email.split("@", maxsplit=1)[0]
    personal = {artist_name.casefold(), email.casefold(), local_part.casefold()}
    if any(part and len(part) >= 4 and part in lowered for part in personal):
        return "Don't use your artist name or email in your password."
    return None
