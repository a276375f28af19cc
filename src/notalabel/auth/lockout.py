"""Login lockout rules (pure): per (account, client) locks and the account-wide threshold.

A client is a known device (it sent the device key of an earlier sign-in to this account) or
else the caller's IP address. Failures in a row from one client lock only that pair, growing
from `base_seconds` and doubling up to `max_seconds`. Failures from unknown clients also count
towards an hour-long account-wide window; past its threshold every unknown client is locked out
of the account for a while, but known devices still sign in with the right password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ACCOUNT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class LoginClient:
    """Who is trying to sign in, as far as lockout is concerned."""

    key: str
    known_client_id: str | None

    @property
    def known(self) -> bool:
        """Whether the caller proved it is a device that signed in to this account before."""
        return self.known_client_id is not None


def login_client(known_client_id: str | None, ip_address: str) -> LoginClient:
    """The lockout key: the known device when its key matched, else the caller's IP."""
    if known_client_id is not None:
        return LoginClient(f"device:{known_client_id}", known_client_id)
    return LoginClient(f"ip:{ip_address[:64]}", None)


def lock_duration(
    failures: int, *, threshold: int, base_seconds: int, max_seconds: int
) -> timedelta | None:
    """No lock below `threshold` failures in a row; then base, 2x, 4x ... capped at max."""
    if failures < threshold:
        return None
    doublings = min(failures - threshold, 30)
    return timedelta(seconds=min(max_seconds, base_seconds * 2**doublings))


def is_locked(
    client: LoginClient,
    *,
    client_locked_until: datetime | None,
    account_locked_until: datetime | None,
    now: datetime,
) -> bool:
    """Locked for this client's own failures, or an unknown client during an account lock."""
    if client_locked_until is not None and client_locked_until > now:
        return True
    return not client.known and account_locked_until is not None and account_locked_until > now


def account_failures(window_started_at: datetime | None, failures: int, now: datetime) -> int:
    """Unknown-client failures in the current hour-long window, counting one more now."""
    if window_started_at is None or now - window_started_at >= ACCOUNT_WINDOW:
        return 1
    return failures + 1
