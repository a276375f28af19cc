"""The token file: one JSON document, mode 0600 in a 0700 directory, replaced atomically."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Credentials:
    """Who is signed in, where, and with which tokens."""

    server: str
    artist_name: str
    access_token: str
    refresh_token: str
    device_key: str | None = None
    user_id: str | None = None

    def with_tokens(self, access_token: str, refresh_token: str) -> Credentials:
        """The same sign-in with a rotated token pair."""
        return Credentials(
            self.server,
            self.artist_name,
            access_token,
            refresh_token,
            self.device_key,
            self.user_id,
        )


_FIELDS = {
    "server": "server",
    "artistName": "artist_name",
    "accessToken": "access_token",
    "refreshToken": "refresh_token",
    "deviceKey": "device_key",
    "userId": "user_id",
}


class CredentialsError(Exception):
    """The file exists but cannot be used."""


def credentials_path() -> Path:
    """$XDG_CONFIG_HOME/notalabel/credentials.json, or ~/.config/notalabel/credentials.json."""
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    # the XDG spec says a relative value is invalid and must be ignored
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "notalabel" / "credentials.json"


def save(credentials: Credentials, path: Path | None = None) -> Path:
    """Write the file atomically: a 0600 temporary beside it, then a rename over it."""
    target = path or credentials_path()
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode is masked by the umask and ignored for an existing directory
    os.chmod(target.parent, 0o700)
    names = {v: k for k, v in _FIELDS.items()}
    data = {names[k]: v for k, v in asdict(credentials).items()}
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # created 0600 from the first byte: the tokens are never readable by others, even briefly
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return target


def load(path: Path | None = None) -> Credentials | None:
    """The saved sign-in, or None when there is none."""
    target = path or credentials_path()
    try:
        raw = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise CredentialsError(f"cannot read {target}: {exc}") from exc
    if not isinstance(raw, dict):
        raise CredentialsError(f"{target} is not a credentials file")
    values: dict[str, Any] = {attr: raw.get(key) for key, attr in _FIELDS.items()}
    required = ("server", "artist_name", "access_token", "refresh_token")
    if not all(isinstance(values[name], str) and values[name] for name in required):
        raise CredentialsError(f"{target} is missing its tokens: run `notalabel join` again")
    for optional in ("device_key", "user_id"):
        if not isinstance(values[optional], str):
            values[optional] = None
    return Credentials(**values)


def delete(path: Path | None = None) -> bool:
    """Remove the file; False when there was none."""
    try:
        (path or credentials_path()).unlink()
    except FileNotFoundError:
        return False
    return True
