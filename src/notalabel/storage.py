"""Storage that cannot take writes: recognising it at run time and refusing to start on it.

At run time a read-only, full or failing SQLite file, or a lost PostgreSQL connection, is
not a bug in a request: errors.py answers it with 503 `storage_unavailable` (instead of a 500
with a traceback) and /readyz reports the database down. At start-up `notalabel serve`
checks that the data directory and the SQLite file take writes, so a bad volume is one clear
line rather than a traceback from inside the server.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from notalabel.config import Settings

# Lower-cased fragments of SQLite and PostgreSQL (asyncpg) messages that mean the storage,
# not the statement, is at fault.
_STORAGE_FAILURES = (
    "readonly database",
    "read-only transaction",
    "database or disk is full",
    "disk i/o error",
    "unable to open database file",
    "no space left on device",
    "connection was closed",
    "connection is closed",
    "connection refused",
    "terminating connection",
    "the database system is shutting down",
    "the database system is starting up",
    "cannot connect now",
)


def is_storage_failure(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be reached or written, not that a query is wrong."""
    # asyncpg raises the socket error itself when it cannot connect at all
    if isinstance(exc, ConnectionError):
        return True
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    text = str(exc.orig if exc.orig is not None else exc).lower()
    return any(marker in text for marker in _STORAGE_FAILURES)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None (not SQLite, in memory, or a `file:` URI)."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.query.get("uri"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def storage_problem(settings: Settings) -> str | None:
    """One line saying why the data directory or SQLite file cannot take writes, or None."""
    directories: list[Path] = []
    database = sqlite_path(settings.effective_database_url)
    if database is not None:
        directories.append(database.parent)
    if settings.jwt_secret is None:
        directories.append(settings.data_dir)
    for directory in dict.fromkeys(d.resolve() for d in directories):
        if problem := _directory_problem(directory):
            return problem
    if database is not None and database.exists():
        return _database_problem(database)
    return None


def _directory_problem(directory: Path) -> str | None:
    try:
        if not directory.exists():
            directory.mkdir(parents=True, mode=0o700)
        # a real write (not os.access, which root always passes) also catches a full disk
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-check-") as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return f"data directory {directory} is not writable: {exc.strerror or exc}"
    return None


def _database_problem(path: Path) -> str | None:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"PRAGMA user_version = {int(version)}")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"database {path} cannot be written: {exc}"
    return None
