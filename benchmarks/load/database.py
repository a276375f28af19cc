"""The PostgreSQL database of a run: created fresh, migrated, dropped afterwards."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .common import venv_python

BENCH_DATABASE = "notalabel_bench"


def psql(admin_url: str, statement: str) -> None:
    """Run one SQL statement as the PostgreSQL admin."""
    # "database does not exist, skipping" and the like are notices, not news
    env = {**os.environ, "PGOPTIONS": "-c client_min_messages=warning"}
    subprocess.run(
        ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-qc", statement],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )


@contextmanager
def bench_database(admin_url: str, *, tls: bool) -> Iterator[str]:
    """A fresh PostgreSQL database for the run (its asyncpg URL), dropped afterwards.

    Without `tls` the server's URL says ssl=disable: on loopback, TLS protects nothing and
    costs the server about 0.6 ms of CPU per onboarding step (asyncpg prefers TLS when the
    server offers it, as Debian's PostgreSQL does).
    """
    drop = f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"
    psql(admin_url, drop)
    psql(admin_url, f"CREATE DATABASE {BENCH_DATABASE}")
    parts = urlsplit(admin_url)
    query = parts.query if tls else "&".join(q for q in (parts.query, "ssl=disable") if q)
    url = urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{BENCH_DATABASE}", query, ""))
    try:
        yield url
    finally:
        psql(admin_url, drop)


def migrate(env: dict[str, str], home: Path) -> None:
    """Create the schema with the code under test's own migrations (its PYTHONPATH in `env`)."""
    subprocess.run(
        [venv_python(), "-m", "notalabel", "db", "upgrade"],
        env=env, cwd=home, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
