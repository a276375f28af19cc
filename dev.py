#!/usr/bin/env python3
"""Bootstrap and run the project with nothing but Python 3.11+.

    python3 dev.py serve [--host H --port P]   start the API on the embedded default
    python3 dev.py test [pytest args]          run the whole test suite
    python3 dev.py check                       ruff (lint + format) and mypy
    python3 dev.py notalabel ARGS...           any `notalabel` command

The first call makes .venv and installs the pinned dependencies from requirements.lock.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("NAL_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def ensure_environment() -> None:
    """Create the virtual environment and install the lock file when it changed."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed.")
    lock = ROOT / "requirements.lock"
    model_lock = ROOT / "requirements-model.lock"
    digest = hashlib.sha256(
        lock.read_bytes() + model_lock.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    )
    stamp = VENV / ".installed"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(lock)], check=True)
    subprocess.run([*pip, "--no-deps", "--require-hashes", "-r", str(model_lock)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    stamp.write_text(digest.hexdigest())


def run(*command: str) -> int:
    """Run a command from the virtual environment."""
    return subprocess.call(list(command), cwd=ROOT)


def main(argv: list[str]) -> int:
    """Dispatch the sub-command."""
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    ensure_environment()
    action, rest = argv[0], argv[1:]
    if action == "serve":
        return run(str(BIN / "notalabel"), "serve", *rest)
    if action == "test":
        return run(str(PYTHON), "-m", "pytest", *rest)
    if action == "check":
        steps = [
            [str(BIN / "ruff"), "check", "src", "tests", "scripts", "benchmarks", "dev.py"],
            [
                str(BIN / "ruff"),
                "format",
                "--check",
                "src",
                "tests",
                "scripts",
                "benchmarks",
                "dev.py",
            ],
            [str(BIN / "mypy")],
            [
                str(BIN / "mypy"),
                "benchmarks/http_load.py",
                "benchmarks/library.py",
                "benchmarks/matching.py",
                "benchmarks/realtime.py",
                "benchmarks/load",
            ],
        ]
        return max(run(*step) for step in steps)
    if action == "notalabel":
        return run(str(BIN / "notalabel"), *rest)
    print(f"unknown command {action!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
