"""Bodies of the user routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from notalabel.schemas import ApiModel


class UserOut(ApiModel):
    """An artist account, as its owner sees it."""

    id: str
    artist_name: str
    email: str | None = None
    music_dna: dict[str, Any]
    signature_pattern: dict[str, Any]
    profile: dict[str, Any]
    preferences: dict[str, Any]
    login_method: str | None
    last_login_at: datetime | None
    created_at: datetime
