"""Which code the server runs (this checkout or --source) and how it starts (--baseline-stack)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from .common import ROOT, BenchError, venv_python

# run with the server's environment: the argon2 parameters of the code under test, and where
# that code was imported from (PYTHONPATH must win over the venv's editable install)
PROBE = """\
import json, notalabel
from notalabel.auth.passwords import hash_password
print(json.dumps({"file": notalabel.__file__, "hash": hash_password("x" * 12)}))
"""


@dataclass(frozen=True)
class Stack:
    """The server's code and command: a checkout's src/, `notalabel serve` or plain uvicorn."""

    source: Path | None = None  # another checkout of this repository; None: this one
    baseline: bool = False  # uvicorn on asyncio + h11 instead of `notalabel serve`

    @property
    def checkout(self) -> Path:
        """The root of the checkout whose code the server runs."""
        return self.source or ROOT

    def command(self, port: int, workers: int) -> list[str]:
        """The server's command line."""
        if not self.baseline:
            command = [venv_python(), "-m", "notalabel", "serve", "--port", str(port)]
            return [*command, "--workers", str(workers)]
        # older commits ran on uvicorn's defaults without uvloop or httptools installed; this
        # venv has both and uvicorn would pick them, so the loop and parser are named
        return [
            venv_python(), "-m", "uvicorn", "notalabel.app:create_app", "--factory",
            "--loop", "asyncio", "--http", "h11", "--port", str(port),
            "--workers", str(workers), "--no-server-header", "--no-proxy-headers",
            "--log-level", "warning",
        ]  # fmt: skip

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        """`env` with the source checkout's src/ first on PYTHONPATH (when there is one)."""
        if self.source is None:
            return env
        paths = [str(self.source / "src"), *filter(None, env.get("PYTHONPATH", "").split(":"))]
        return {**env, "PYTHONPATH": ":".join(paths)}

    def describe(self) -> dict[str, Any]:
        """What the report says about the code and the server command."""
        return {
            "checkout": str(self.checkout),
            "commit": code_version(self.checkout),
            "server": "uvicorn --loop asyncio --http h11" if self.baseline else "notalabel serve",
        }

    def probe(self, env: dict[str, str], cwd: Path) -> str:
        """The code's argon2id parameters, after checking the server will import that code."""
        command = [venv_python(), "-c", PROBE]
        done = subprocess.run(
            command, check=False, env=env, cwd=cwd, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise BenchError(f"the code under test does not import:\n{done.stderr[-2000:]}")
        found: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
        expected = (self.checkout / "src" / "notalabel").resolve()
        if Path(found["file"]).resolve().parent != expected:
            raise BenchError(f"the server would import {found['file']}, not {expected}")
        # "$argon2id$v=19$m=65536,t=3,p=4$salt$hash"
        settings = dict(item.split("=") for item in found["hash"].split("$")[3].split(","))
        return (
            f"time_cost={settings['t']}, memory={int(settings['m']):,} KiB, "
            f"parallelism={settings['p']}"
        )


def code_version(checkout: Path) -> str:
    """The checkout's commit, marked when its src/ has uncommitted changes."""
    # no optional locks: a status must not take the index lock from anyone working in there
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def git(*args: str) -> str:
        command = ["git", "-C", str(checkout), *args]
        done = subprocess.run(command, check=False, env=env, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "--", "src") else "")


def server_env(
    backend: str, home: Path, database_url: str | None, redis_url: str
) -> dict[str, str]:
    """The server's environment: ours without NAL_*, plus the benchmark's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_DATA_DIR=str(home),
        NAL_LOG_LEVEL="WARNING",
        # one client address makes all the requests: the rate limits would answer 429
        NAL_RATE_LIMIT_ENABLED="false",
    )
    if backend == "postgres":
        assert database_url is not None
        env.update(
            NAL_MODE="production",
            NAL_DATABASE_URL=database_url,
            NAL_REDIS_URL=redis_url,
            NAL_JWT_SECRET=secrets.token_urlsafe(48),
            NAL_VOICEPRINT_KEY=secrets.token_urlsafe(32),
            # production refuses to start without SMTP unless mail is only logged
            NAL_MAIL_BACKEND="log",
            # a stream of this run's own: old entries on a shared Redis are not this database's
            NAL_EVENTS_STREAM=f"bench:{secrets.token_hex(6)}:events",
        )
    return env


def drop_event_stream(env: dict[str, str]) -> None:
    """Delete the run's event streams and dead letters from Redis (production runs only)."""
    stream, url = env.get("NAL_EVENTS_STREAM"), env.get("NAL_REDIS_URL")
    if stream and url:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{stream}*"))  # each handler's stream too
        if keys:
            client.delete(*keys)
        client.close()
