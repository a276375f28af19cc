"""Running wrk with one of the Lua scripts in benchmarks/wrk/ and reading its BENCH line."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .common import SCRIPTS, BenchError

# wrk counts a slower answer as a timeout error and leaves it out of the latency histogram;
# logins queue behind argon2 for seconds at 50 connections, which is slow but not wrong
WRK_TIMEOUT = "30s"
MARKER = "BENCH "


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run's done() reported."""

    requests: int
    seconds: float
    socket_errors: dict[str, int]
    non2xx: int
    unexpected: int
    flows: int
    p50_ms: float
    p99_ms: float
    first_error: str | None

    @property
    def rate(self) -> float:
        """Answers per second."""
        return self.requests / self.seconds

    @property
    def flow_rate(self) -> float:
        """Complete flows per second."""
        return self.flows / self.seconds

    def problem(self) -> str | None:
        """Why this run is not a figure, or None."""
        sockets = sum(self.socket_errors.values())
        if not (self.non2xx or self.unexpected or sockets or self.requests == 0):
            return None
        parts = [f"{self.non2xx} non-2xx", f"{self.unexpected} unexpected 2xx answers"]
        if sockets:
            detail = ", ".join(f"{k} {v}" for k, v in self.socket_errors.items() if v)
            parts.append(f"socket errors ({detail})")
        if self.requests == 0:
            parts.append("no answer at all")
        if self.first_error:
            parts.append(f"first: {self.first_error}")
        return "; ".join(parts)

    def as_json(self) -> dict[str, Any]:
        """Every figure of the run, the derived rates included."""
        return {
            "requests": self.requests,
            "seconds": self.seconds,
            "rate": self.rate,
            "flows": self.flows,
            "flow_rate": self.flow_rate,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "non2xx": self.non2xx,
            "unexpected": self.unexpected,
            "socket_errors": dict(self.socket_errors),
            "first_error": self.first_error,
            "problem": self.problem(),
        }


def start_wrk(
    base: str, script: str, connections: int, seconds: int, args: Sequence[str] = ()
) -> subprocess.Popen[str]:
    """Start wrk with one thread per connection (so a Lua script can keep per-flow state)."""
    command = ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", WRK_TIMEOUT, "-s", str(SCRIPTS / script), base, "--", *args]
    # errors="replace": the first failing body is cut at a byte count, maybe inside a character
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace"
    )


def finish_wrk(process: subprocess.Popen[str], what: str) -> WrkResult:
    """Wait for a wrk run and parse the line its script's done() printed."""
    stdout, stderr = process.communicate()
    line = next((s for s in stdout.splitlines() if s.startswith(MARKER)), None)
    if process.returncode != 0 or line is None:
        raise BenchError(
            f"wrk failed on {what} (exit {process.returncode}):\n{stdout[-2000:]}{stderr[-2000:]}"
        )
    data: dict[str, Any] = json.loads(line.removeprefix(MARKER))
    return WrkResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        socket_errors={k: int(data[k]) for k in ("connect", "read", "write", "timeout")},
        # wrk itself counts statuses above 399; the scripts count everything outside 2xx
        non2xx=max(int(data["non2xx"]), int(data["status_errors"])),
        unexpected=int(data["unexpected"]),
        flows=int(data["flows"]),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        first_error=data["first_error"],
    )


def run_wrk(
    base: str, script: str, connections: int, seconds: int, args: Sequence[str] = ()
) -> WrkResult:
    """One wrk run, start to finish."""
    return finish_wrk(start_wrk(base, script, connections, seconds, args), script)
