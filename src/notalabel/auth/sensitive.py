"""The rule for sensitive changes: a recent sign-in, or the current password in the request."""

from __future__ import annotations

from datetime import timedelta

from notalabel.auth.exceptions import ReauthenticationRequired
from notalabel.auth.hashing import off_loop
from notalabel.auth.passwords import verify_password
from notalabel.db import utcnow
from notalabel.users.service import Principal

NEEDS_PROOF = (
    "This change needs a sign-in from the last {minutes} minutes or your current password: "
    "re-authenticate (POST /api/auth/reauthenticate) or send currentPassword, and try again."
)


def signed_in_recently(principal: Principal, reauth_minutes: int) -> bool:
    """Whether the device sign-in was proven within `reauth_minutes` (RecentPrincipal's rule)."""
    return utcnow() - principal.authenticated_at <= timedelta(minutes=reauth_minutes)


async def confirm_sensitive(
    principal: Principal, current_password: str | None, reauth_minutes: int
) -> None:
    """Pass when the sign-in is recent or `current_password` is right; else 401.

    A recovery-code sign-in is recent, which is how an artist who lost the password resets it.
    """
    if signed_in_recently(principal, reauth_minutes):
        return
    stored = principal.user.password_hash
    if (
        current_password is not None
        and stored is not None
        and await off_loop(verify_password, stored, current_password)
    ):
        return
    raise ReauthenticationRequired(NEEDS_PROOF.format(minutes=reauth_minutes))
