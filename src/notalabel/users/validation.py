"""Checks for profile fields: avatars, websites and social links (pure)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
# characters that end an attribute or a URL in HTML, Markdown or a shell, or that browsers
# rewrite (a backslash becomes "/"): none belongs in a link we show on a profile
_URL_FORBIDDEN = frozenset("\"'<>\\`{}|^")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
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
    """Why `value` is not a well-formed https URL with a public-looking host, or None."""
    if len(value) > MAX_URL_LENGTH:
        return f"URLs are at most {MAX_URL_LENGTH} characters"
    if any(ch in _URL_FORBIDDEN or unicodedata.category(ch)[0] in "CZ" for ch in value):
        return "must not contain quotes, angle brackets, backslashes, spaces or control characters"
    if value[:8].lower() != "https://":
        return "must be an https:// URL"
    parts = urlsplit(value)
    if "@" in parts.netloc:
        return "must not contain a user name or password"
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        return "must have a valid port"
    if not _valid_host(parts.hostname or ""):
        return "must be an https:// URL with a valid host name"
    return None


def _valid_host(host: str) -> bool:
    # ASCII only: an internationalised host is shown in its xn-- form, so it cannot pass as
    # a look-alike of a well-known site
    labels = host.split(".")
    return len(host) <= 253 and len(labels) >= 2 and all(_HOST_LABEL.match(x) for x in labels)


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
