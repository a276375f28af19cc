"""`notalabel me` and `notalabel logout`: the saved sign-in, refreshed when it has aged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from notalabel.terminal import credentials
from notalabel.terminal.client import ApiClient, ApiError

NOT_SIGNED_IN = "not signed in: run `notalabel join` to create your artist account"


class NotSignedIn(Exception):
    """No usable sign-in: the file is missing or its tokens no longer work."""


async def refreshed(
    api: ApiClient, saved: credentials.Credentials, path: Path | None = None
) -> credentials.Credentials:
    """Rotate the token pair and save the new one at once (the old refresh token is spent)."""
    try:
        pair = await api.refresh(saved.refresh_token)
    except ApiError as exc:
        if exc.status == 401:
            raise NotSignedIn(
                f"the sign-in of {saved.artist_name} has ended (expired or signed out): "
                "run `notalabel logout` to forget it"
            ) from exc
        raise
    renewed = saved.with_tokens(str(pair["token"]), str(pair["refreshToken"]))
    credentials.save(renewed, path)
    return renewed


async def profile(
    api: ApiClient, saved: credentials.Credentials, path: Path | None = None
) -> dict[str, Any]:
    """GET /api/users/me; on a 401 refresh once and ask again."""
    try:
        return await api.me(saved.access_token)
    except ApiError as exc:
        if exc.status != 401:
            raise
    renewed = await refreshed(api, saved, path)
    return await api.me(renewed.access_token)


async def logout(
    api: ApiClient, saved: credentials.Credentials, path: Path | None = None
) -> str | None:
    """End the sign-in on the server, then forget it here; returns a warning, if any.

    An expired access token is refreshed first, so the device sign-in really ends instead of
    leaving its refresh token alive; a sign-in already ended is not an error.
    """
    warning = None
    try:
        try:
            await api.logout(saved.access_token)
        except ApiError as exc:
            if exc.status != 401:
                raise
            renewed = await refreshed(api, saved, path)
            await api.logout(renewed.access_token)
    except NotSignedIn:
        pass
    except ApiError as exc:
        warning = f"the server could not end the sign-in ({exc.message}); forgot it here anyway"
    credentials.delete(path)
    return warning
