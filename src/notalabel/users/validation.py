"""Checks for profile fields: avatars, websites and social links (pure)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
_HANDLE = re.compile(r"^@?[A-Za-z0-9_.]{1,30}$")
SOCIAL_HOSTS: dict[str, tuple[str, ...]] = {
    "spotify": ("open.spotify.com", "spotify.com"),
    "soundcloud": ("soundcloud.com", "on.soundcloud.com"),
    "instagram": ("instagram.com",),
    "twitter": ("twitter.com", "x.com"),
}
# zero-width joiner, variation selectors and skin tones glue emoji sequences together
_EMOJI_GLUE = {"\u200d", "\ufe0f", "\ufe0e"}


def https_url_problem(value: str) -> str | None:
    """Why `value` is not an https URL with a host, or None."""
    if len(value) > MAX_URL_LENGTH:
        return f"URLs are at most {MAX_URL_LENGTH} characters"
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or " " in value:
        return "must be an https:// URL"
    return None


def is_emoji(value: str) -> bool:
    """True for one emoji (including joined sequences, flags and skin tones)."""
    if not 1 <= len(value) <= 16:
        return False
    symbols = 0
    for char in value:
        category = unicodedata.category(char)
        if (
            char in _EMOJI_GLUE
            or 0x1F3FB <= ord(char) <= 0x1F3FF
            or 0xE0020 <= ord(char) <= 0xE007F
        ):
            continue
        if category in {"So", "Sk"} or 0x1F1E6 <= ord(char) <= 0x1F1FF:
            symbols += 1
            continue
        return False
    return 1 <= symbols <= 8


def avatar_problem(value: str) -> str | None:
    """Why `value` is neither an emoji nor an https image URL, or None."""
    if is_emoji(value):
        return None
    if https_url_problem(value) is None:
        return None
    return "must be an emoji or an https:// URL"


def social_link_problem(network: str, value: str) -> str | None:
    """Why `value` is not a handle or a URL on `network`'s own site, or None."""
    if _HANDLE.match(value):
        return None
    problem = https_url_problem(value)
    if problem is not None:
        return f"must be a {network} handle or an https:// {network} URL"
    host = (urlsplit(value).hostname or "").lower().removeprefix("www.")
    if host not in SOCIAL_HOSTS[network]:
        return f"must be a link to {' or '.join(SOCIAL_HOSTS[network])}"
    return None
