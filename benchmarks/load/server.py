"""Starting and stopping the server, waiting until it is ready or quiet, and its log."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from . import procfs
from .common import BenchError, say
from .stack import Stack


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def summarize_log_line(raw: str) -> str:
    """A JSON log line as level, message, path and the last line of its traceback."""
    try:
        entry = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(entry, dict):
        return raw
    # the traceback's last line names the exception; the rest is too long for a report
    exc = str(entry.get("exc") or "").strip().splitlines()
    where = f" {entry['path']}" if entry.get("path") else ""
    return f"{entry.get('level')}: {entry.get('msg')}{where}" + (f": {exc[-1]}" if exc else "")


@dataclass
class Server:
    """A running server process and its workers."""

    process: subprocess.Popen[bytes]
    base: str
    workers: int
    log: Path

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: uvicorn's spawned workers, or the server itself."""
        if self.workers == 1:
            return [self.process.pid]
        # uvicorn's supervisor spawns its workers with multiprocessing (spawn_main); skip
        # helpers such as multiprocessing's resource tracker
        pids = procfs.children(self.process.pid)
        return [p for p in pids if b"spawn_main" in procfs.cmdline(p)]

    def cpu_seconds(self) -> float:
        """CPU time used by the server so far, supervisor and workers."""
        pids = {self.process.pid, *self.worker_pids()}
        return sum(procfs.cpu_seconds(pid) for pid in pids)

    def log_tail(self, lines: int = 12) -> str:
        """The end of the server's output, for error reports: one line per distinct entry."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        counts: dict[str, int] = {}
        for line in map(summarize_log_line, text.splitlines()[-500:]):
            counts[line] = counts.get(line, 0) + 1
        entries = [f"{n}× {line}" if n > 1 else line for line, n in counts.items()]
        return "\n".join(entries[-lines:])

    def settle(self, limit: float = 30.0) -> None:
        """Wait until the server is idle.

        wrk stops in the middle of requests; the server finishes them anyway (queued argon2
        logins take seconds), and that work must not land in the next measurement.
        """
        window, quiet = 0.25, 0.02
        deadline = time.monotonic() + limit
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before <= quiet:
                return
            before = now
        say(f"  (the server was still busy after {limit:.0f} s; measuring anyway)")

    def wait_ready(self, limit: float = 120.0) -> None:
        """Wait for /api/health, then for every worker, then for start-up work to finish."""
        deadline = time.monotonic() + limit
        while True:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited at start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BenchError(f"the server did not answer within {limit:.0f} s")
            try:
                if httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() > deadline:
                raise BenchError(f"only {len(self.worker_pids())} of {self.workers} workers")
            time.sleep(0.2)
        # a worker still importing the app accepts no connection: wait for its CPU to go quiet
        self.settle(limit=60)

    def peak_rss(self) -> tuple[list[float], float | None]:
        """Peak RSS in MiB of each worker, and of the supervisor when there is one."""
        workers = [procfs.peak_rss_mib(pid) for pid in self.worker_pids()]
        supervisor = procfs.peak_rss_mib(self.process.pid) if self.workers > 1 else None
        return workers, supervisor


@contextmanager
def serve(stack: Stack, env: dict[str, str], workers: int, home: Path) -> Iterator[Server]:
    """Start the server, yield it once it answers, and always stop it."""
    port = free_port()
    log = home / "server.log"
    with log.open("wb") as sink:
        # its own session: a Ctrl-C reaches only this script, which then stops the server
        # cleanly; cwd is the temporary directory so no stray .env file changes the settings
        process = subprocess.Popen(
            stack.command(port, workers), env=env, cwd=home, stdout=sink,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", workers, log)
    try:
        server.wait_ready()
        yield server
    except BenchError:
        say(f"server log (end):\n{server.log_tail()}")
        raise
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (uvicorn shuts down gracefully and stops its workers); SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        say("  the server did not stop within 30 s: killing its process group")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
