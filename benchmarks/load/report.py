"""What a configuration measured: the table on stdout and the same figures as JSON."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .wrk import WrkResult


@dataclass(frozen=True)
class Scenario:
    """One measured route and what its script needs."""

    key: str
    label: str
    script: str
    # "run": the run tag; "tokens": fresh access tokens; "chain": refresh chains wrk may use
    # up; "accounts": names and the password
    needs: str


@dataclass(frozen=True)
class Row:
    """A route with the floor measured before and after it."""

    scenario: Scenario
    before: WrkResult
    work: WrkResult
    after: WrkResult
    cpu_cores: float  # server CPU seconds per second during the work run

    @property
    def floor(self) -> float:
        """Mean health req/s of the runs around the work run."""
        return (self.before.rate + self.after.rate) / 2

    @property
    def ratio(self) -> float:
        """The route's req/s as a share of the floor's: the figure to compare across runs."""
        return self.work.rate / self.floor


@dataclass(frozen=True)
class Flood:
    """GET /api/health alone and during a login flood, and the flood itself."""

    health_connections: int
    login_connections: int
    alone: WrkResult
    during: WrkResult
    logins: WrkResult


@dataclass
class Report:
    """Everything one configuration measured."""

    backend: str
    workers: int
    connections: int
    duration: int
    code: dict[str, Any]  # Stack.describe(): checkout, commit, server command
    rows: list[Row] = field(default_factory=list)
    flood: Flood | None = None
    rss: list[float] = field(default_factory=list)
    supervisor_rss: float | None = None
    argon2: str = ""

    @property
    def assumed_cores(self) -> int:
        """Cores the login figure is divided by: one per worker, at most the machine's."""
        return min(self.workers, os.cpu_count() or 1)

    def runs(self) -> Iterator[tuple[str, WrkResult]]:
        """Every wrk run with what it measured."""
        for row in self.rows:
            yield f"{row.scenario.label}, floor before", row.before
            yield row.scenario.label, row.work
            yield f"{row.scenario.label}, floor after", row.after
        if self.flood is not None:
            yield "health alone", self.flood.alone
            yield "health during the flood", self.flood.during
            yield "login flood", self.flood.logins

    def failures(self) -> list[str]:
        """Each run that is not a figure, with why."""
        return [f"{name}: {problem}" for name, run in self.runs() if (problem := run.problem())]

    def as_json(self) -> dict[str, Any]:
        """Every figure of this configuration."""
        rows = []
        for row in self.rows:
            entry: dict[str, Any] = {
                "key": row.scenario.key,
                "label": row.scenario.label,
                "floor_rate": row.floor,
                "ratio": row.ratio,
                "server_cpu_cores": row.cpu_cores,
                "before": row.before.as_json(),
                "work": row.work.as_json(),
                "after": row.after.as_json(),
            }
            if row.scenario.key == "login":
                entry["logins_per_assumed_core"] = row.work.rate / self.assumed_cores
                entry["assumed_cores"] = self.assumed_cores
                entry["logins_per_cpu_second"] = (
                    row.work.rate / row.cpu_cores if row.cpu_cores else None
                )
            rows.append(entry)
        flood = None
        if self.flood is not None:
            flood = {
                "health_connections": self.flood.health_connections,
                "login_connections": self.flood.login_connections,
                "health_alone": self.flood.alone.as_json(),
                "health_during": self.flood.during.as_json(),
                "logins": self.flood.logins.as_json(),
            }
        return {
            "backend": self.backend,
            "workers": self.workers,
            "connections": self.connections,
            "duration_s": self.duration,
            "code": self.code,
            "argon2id": self.argon2,
            "rows": rows,
            "login_flood": flood,
            "peak_rss_mib": {"workers": self.rss, "supervisor": self.supervisor_rss},
            "failures": self.failures(),
        }


def machine() -> dict[str, Any]:
    """The machine and Python the figures come from."""
    return {
        "arch": platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }


def write_json(path: Path, configs: Sequence[dict[str, Any]], started: float) -> None:
    """The whole run as JSON: the machine, the command line and each configuration."""
    document = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "argv": sys.argv,
        "machine": machine(),
        "configs": list(configs),
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def rate(value: float) -> str:
    """Requests per second for the table."""
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def millis(value: float) -> str:
    """Milliseconds for the table."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def render(report: Report) -> str:
    """The table of one configuration."""
    workers = f"{report.workers} worker{'s' if report.workers > 1 else ''}"
    here = machine()
    code = report.code
    lines = [
        f"machine: {here['arch']}, {here['cores']} cores, Python {here['python']} · backend "
        f"{report.backend} · {workers} · {report.connections} connections · "
        f"{report.duration} s each",
        f"code: {code['checkout']} at {code['commit']} · server: {code['server']}",
        f"{'route':<34}{'floor req/s':>12}{'work req/s':>12}{'ratio':>8}{'p50 ms':>9}{'p99 ms':>9}",
    ]
    for row in report.rows:
        work = row.work
        digits = 2 if row.ratio >= 0.1 else 3 if row.ratio >= 0.01 else 4
        lines.append(
            f"{row.scenario.label:<34}{rate(row.floor):>12}{rate(work.rate):>12}"
            f"{row.ratio:>8.{digits}f}{millis(work.p50_ms):>9}{millis(work.p99_ms):>9}"
        )
        if work.requests < report.connections:
            lines.append(
                f"  (only {work.requests} answers: too few for these figures; "
                "use a longer --duration)"
            )
        if row.scenario.key == "onboarding":
            lines.append(f"{'  = complete flows/s':<34}{'':>12}{rate(work.flow_rate):>12}")
        if row.scenario.key == "login":
            # the assumption is one core per worker; argon2 runs in threads, so a worker can
            # use more (or, on a shared machine, get less): the CPU it really used is shown too
            cores = report.assumed_cores
            per_cpu_second = work.rate / row.cpu_cores if row.cpu_cores else 0.0
            lines.append(
                f"  = logins/s per core: {work.rate / cores:.1f} (assumed {cores} "
                f"core{'s' if cores > 1 else ''} for {workers}; measured: the server used "
                f"{row.cpu_cores:.2f} cores, {per_cpu_second:.1f} logins per CPU-second) · "
                f"argon2id {report.argon2}"
            )
    if (flood := report.flood) is not None:
        alone, during = flood.alone, flood.during
        lines.append(
            f"login flood: GET /api/health p50/p99 alone vs during a login flood: "
            f"{millis(alone.p50_ms)} / {millis(alone.p99_ms)} ms vs "
            f"{millis(during.p50_ms)} / {millis(during.p99_ms)} ms "
            f"({flood.health_connections} health connections; {flood.login_connections} login "
            f"connections at {rate(flood.logins.rate)} logins/s)"
        )
    if report.rss:
        each = ", ".join(f"{mib:,.0f}" for mib in report.rss)
        extra = ""
        if report.supervisor_rss is not None:
            extra = f"; supervisor {report.supervisor_rss:,.0f} MiB"
        lines.append(
            f"peak RSS per worker: {each} MiB (VmHWM of each worker process after the run{extra})"
        )
    lines += [f"!! FAILED {failure}" for failure in report.failures()]
    return "\n".join(lines)
