"""What every part of the load benchmark shares: paths, the error type, progress output."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPTS = ROOT / "benchmarks" / "wrk"


class BenchError(Exception):
    """The benchmark itself could not run (as opposed to a run that measured failures)."""


def say(message: str) -> None:
    """Progress on stderr, so stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


def venv_python() -> str:
    """The project's virtual-environment Python (the one the server runs on)."""
    candidate = ROOT / ".venv" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable
