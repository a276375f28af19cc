"""Redacts secrets and personal data from log lines before they are written.

Applied by the JSON log formatter to every record: message, `extra` fields and exception
text. What goes: JWTs, `Bearer ...` credentials, argon2 hashes, email addresses, values of
keys named like a secret (password, token, refresh_token, code, recovery, secret) whether they
arrive as `extra` fields or inside text (`password=...`, `"token": "..."`), and the arguments
of SQLAlchemy's result-row and aiosqlite's call traces at DEBUG (rows and calls hold hashes,
emails and transcripts; SQL parameters are hidden by the engine itself, see db.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"

_SECRET_KEY = r"[\w-]*(?:password|passwd|token|secret|recovery|code|authorization|cookie)[\w-]*"  # noqa: S105
_SECRET_KEY_NAME = re.compile(rf"^{_SECRET_KEY}$", re.IGNORECASE)
# Keys that merely contain "code" but are safe and useful to log.
_SAFE_KEYS = frozenset({"status_code", "error_code", "code_point", "exit_code"})

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # JWS compact form: base64url header (always starts eyJ = '{"'), payload, signature
    (re.compile(r"eyJ[\w-]*\.[\w-]*\.?[\w-]*"), REDACTED),
    (re.compile(r"\b(Bearer|Basic)\s+[\w\-.~+/=]+", re.IGNORECASE), rf"\1 {REDACTED}"),
    (re.compile(r"\$argon2[\w$=,+/.-]*"), REDACTED),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), REDACTED),
    # PostgreSQL's unique-violation detail: Key (email_key)=(someone@example.com)
    (re.compile(r"(Key \([^)]*\)=\()[^)]*\)"), rf"\1{REDACTED})"),
)
# key=value, key: value and "key": "value" inside free text
_KEY_VALUE = re.compile(
    rf"""(?P<key>["']?(?P<name>{_SECRET_KEY})["']?\s*[=:]\s*)(?P<q>["']?)[^\s"',;&)}}\]]+(?P=q)""",
    re.IGNORECASE,
)


def _redact_pair(match: re.Match[str]) -> str:
    if not is_secret_key(match["name"]):
        return match[0]
    return f"{match['key']}{match['q']}{REDACTED}{match['q']}"


def scrub_text(text: str) -> str:
    """The text with every recognisable secret replaced by [redacted]."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _KEY_VALUE.sub(_redact_pair, text)


def is_secret_key(key: str) -> bool:
    """Whether a field named `key` holds a secret and must never be logged as is."""
    return key.lower() not in _SAFE_KEYS and bool(_SECRET_KEY_NAME.match(key))


def scrub_value(value: Any) -> Any:
    """A JSON-ready copy of `value` with secrets redacted, recursing into dicts and lists."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(str(key)) else scrub_value(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [scrub_value(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub_text(str(value))


def is_data_log(logger_name: str, template: object) -> bool:
    """Records whose arguments are table data or statement parameters, never to be printed.

    SQLAlchemy's DEBUG result rows, and aiosqlite's DEBUG trace of each call (whose argument
    is the call, parameters included).
    """
    if logger_name.startswith("sqlalchemy.engine"):
        return template == "Row %r"
    return logger_name == "aiosqlite" or logger_name.startswith("aiosqlite.")


def message_of(record: logging.LogRecord) -> str:
    """The record's message, with the arguments of data logs replaced by [redacted]."""
    if record.args and is_data_log(record.name, record.msg):
        return str(record.msg).replace("%r", REDACTED).replace("%s", REDACTED)
    return record.getMessage()
