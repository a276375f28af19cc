"""What /proc says about the server's processes: children, command lines, CPU time, RSS."""

from __future__ import annotations

import os
from pathlib import Path

from .common import BenchError


def children(pid: int) -> list[int]:
    """Direct child processes of `pid`."""
    found: list[int] = []
    for entry in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in entry.read_text().split()]
        except OSError:
            continue
    return found


def cmdline(pid: int) -> bytes:
    """The command line of a process (empty when it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (all its threads) has used so far."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] is field 3
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def named(command: str) -> list[int]:
    """Every process whose command name (comm) is `command`, e.g. the database's backends."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == command:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def peak_rss_mib(pid: int) -> float:
    """VmHWM (peak resident set size) of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise BenchError(f"no VmHWM for process {pid}")
