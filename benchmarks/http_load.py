"""Throughput and latency of the HTTP API, measured with wrk against a real server (issue 8).

Starts `notalabel serve` (SQLite, or PostgreSQL + Redis), seeds accounts with a small Python
client (not measured), then drives each route with wrk and a Lua script from benchmarks/wrk/.
wrk runs one connection per thread, so a script's request() and response() alternate on one
connection and can walk a stateful flow (onboarding, refresh-token rotation).

Each route is compared with a floor: GET /api/health on the same server with the same wrk
settings, measured right before and right after the route (the run after one route is also the
run before the next). The machines are shared and noisy: the ratio route / floor is the figure to
compare, not the absolute numbers. p50 and p99 are wrk's, which include its correction for
coordinated omission. Before each run the script waits until the server's CPU is quiet: wrk
stops in the middle of requests and the server still finishes them (queued logins take seconds).
At 50 connections a login waits for the 49 before it: give the login row 10 s or more.

    .venv/bin/python benchmarks/http_load.py                      # SQLite, 1 worker
    .venv/bin/python benchmarks/http_load.py --backend postgres --workers 2
    .venv/bin/python benchmarks/http_load.py --only onboarding,login --duration 5
    .venv/bin/python benchmarks/http_load.py --all  # SQLite 1 worker, PostgreSQL 1, PostgreSQL 2
    .venv/bin/python benchmarks/http_load.py --json run.json      # the figures as JSON too

A baseline from an older commit, on the server stack it had (asyncio and h11, no uvloop or
httptools), with this venv and these wrk scripts:

    git worktree add /tmp/base 2d54722
    .venv/bin/python benchmarks/http_load.py --source /tmp/base --baseline-stack \\
        --only onboarding,me,profile,refresh,generate

Scenarios (--only): onboarding, me, profile, refresh, generate, login, flood. Needs wrk (Debian
package `wrk`). PostgreSQL mode creates the database notalabel_bench on the server of
--pg-admin-url with psql, migrates it, and drops it afterwards; it uses Redis at --redis-url.
Any non-2xx answer, socket error or unexpected answer is printed and makes the exit status 1: a
fast wrong answer is not a figure. The tables go to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from load.common import BenchError, say
from load.database import BENCH_DATABASE, bench_database, migrate
from load.report import Flood, Report, Row, Scenario, render, write_json
from load.seed import Account, renew_all, seed_accounts, write_accounts
from load.server import Server, serve
from load.stack import Stack, server_env
from load.wrk import WrkResult, finish_wrk, run_wrk, start_wrk

FLOOD_LOGIN_CONNECTIONS = 40
FLOOD_HEALTH_CONNECTIONS = 10
# the flood starts this long before the health run and ends twice as long after it, so the
# whole health run sees argon2 at full load
FLOOD_LEAD_SECONDS = 1

SCENARIOS = (
    Scenario("onboarding", "onboarding step (any)", "onboarding.lua", "run"),
    Scenario("me", "GET /api/users/me", "me.lua", "tokens"),
    Scenario("profile", "GET /api/users/{name}", "profile.lua", "accounts"),
    Scenario("refresh", "POST /api/auth/refresh", "refresh.lua", "chain"),
    Scenario("generate", "POST /api/generate-music", "generate.lua", "none"),
    Scenario("login", "POST /api/auth/login (argon2id)", "login.lua", "accounts"),
)
SCENARIO_KEYS = [s.key for s in SCENARIOS] + ["flood"]


@dataclass(frozen=True)
class Options:
    """Command-line choices shared by every configuration."""

    connections: int
    duration: int
    only: tuple[str, ...]
    pg_admin_url: str
    redis_url: str
    stack: Stack
    pg_tls: bool


def run_config(backend: str, workers: int, options: Options) -> Report:
    """Measure one configuration: a backend and a number of workers."""
    stack = options.stack
    tls = "on" if options.pg_tls else "off"
    label = backend if backend == "sqlite" else f"postgres (TLS {tls})"
    report = Report(label, workers, options.connections, options.duration, stack.describe())
    tag = f"{backend}×{workers}"
    with tempfile.TemporaryDirectory(prefix="nal-bench-") as temp:
        home = Path(temp)
        if backend == "postgres":
            with bench_database(options.pg_admin_url, tls=options.pg_tls) as url:
                env = stack.environment(server_env(backend, home, url, options.redis_url))
                report.argon2 = stack.probe(env, home)
                say(f"[{tag}] migrating {BENCH_DATABASE}")
                migrate(env, home)
                measure(report, env, home, options, tag)
        else:
            env = stack.environment(server_env(backend, home, None, options.redis_url))
            report.argon2 = stack.probe(env, home)
            measure(report, env, home, options, tag)
    return report


def measure(report: Report, env: dict[str, str], home: Path, options: Options, tag: str) -> None:
    """Start the server, seed it, run the selected scenarios and read the workers' peak RSS."""
    connections, duration = options.connections, options.duration
    scenarios = [s for s in SCENARIOS if s.key in options.only]
    password = secrets.token_urlsafe(18)
    # digits only: the artist names stay unique across runs on one database, and digits keep
    # distinct names apart under the confusable-skeleton rule
    run_tag = str(int(time.time()))
    data = home / "accounts.lua"
    with serve(options.stack, env, report.workers, home) as server:
        say(f"[{tag}] server up at {server.base}, workers {server.worker_pids()}")
        run_wrk(server.base, "health.lua", connections, 1)  # warm-up, not measured
        accounts: list[Account] = []
        needs = {s.needs for s in scenarios} | ({"accounts"} if "flood" in options.only else set())
        if needs & {"tokens", "chain", "accounts"}:
            say(f"[{tag}] seeding {connections} accounts")
            accounts = seed_accounts(server.base, connections, run_tag, password)
        floor: WrkResult | None = None
        for scenario in scenarios:
            args: list[str] = [str(data)]
            if scenario.needs == "run":
                args = [run_tag]
            elif scenario.needs in ("tokens", "chain"):
                accounts = renew_all(server.base, accounts, password)
            write_accounts(data, accounts, password)
            if scenario.needs == "chain":
                for account in accounts:
                    account.handed_over = True
            server.settle()
            if floor is None:
                say(f"[{tag}] floor: GET /api/health")
                floor = run_wrk(server.base, "health.lua", connections, duration)
                server.settle()
            say(f"[{tag}] {scenario.label}")
            cpu_before = server.cpu_seconds()
            work = run_wrk(server.base, scenario.script, connections, duration, args)
            cpu_used = server.cpu_seconds() - cpu_before
            server.settle()
            say(f"[{tag}] floor: GET /api/health")
            after = run_wrk(server.base, "health.lua", connections, duration)
            report.rows.append(Row(scenario, floor, work, after, cpu_used / work.seconds))
            floor = after
            if problem := work.problem():
                say(f"[{tag}] !! {scenario.label} FAILED: {problem}")
        if "flood" in options.only:
            write_accounts(data, accounts, password)
            report.flood = login_flood(server, data, duration, tag)
        report.rss, report.supervisor_rss = server.peak_rss()
        if report.failures():
            say(f"[{tag}] server log (end):\n{server.log_tail()}")


def login_flood(server: Server, data: Path, duration: int, tag: str) -> Flood:
    """Health latency alone, then during a login flood: argon2 must not block the event loop."""
    server.settle()
    say(f"[{tag}] login flood: GET /api/health alone")
    alone = run_wrk(server.base, "health.lua", FLOOD_HEALTH_CONNECTIONS, duration)
    server.settle()
    say(f"[{tag}] login flood: GET /api/health during {FLOOD_LOGIN_CONNECTIONS} logins")
    flood_process = start_wrk(
        server.base,
        "login.lua",
        FLOOD_LOGIN_CONNECTIONS,
        duration + 3 * FLOOD_LEAD_SECONDS,
        [str(data)],
    )
    try:
        time.sleep(FLOOD_LEAD_SECONDS)
        during = run_wrk(server.base, "health.lua", FLOOD_HEALTH_CONNECTIONS, duration)
    finally:
        logins = finish_wrk(flood_process, "login flood")
    server.settle()
    return Flood(FLOOD_HEALTH_CONNECTIONS, FLOOD_LOGIN_CONNECTIONS, alone, during, logins)


def parse_args(
    argv: Sequence[str] | None = None,
) -> tuple[list[tuple[str, int]], Options, Path | None]:
    """The configurations to measure, the shared options and the JSON file (if any)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--connections", type=int, default=50, help="wrk connections (=threads)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument(
        "--only", default=",".join(SCENARIO_KEYS), help=f"comma-separated: {SCENARIO_KEYS}"
    )
    parser.add_argument(
        "--all", action="store_true", help="sqlite×1, postgres×1 and postgres×2 in sequence"
    )
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument(
        "--pg-tls",
        action="store_true",
        help="let the server talk TLS to PostgreSQL (default: ssl=disable, it is on loopback)",
    )
    parser.add_argument(
        "--source",
        type=Path,
        metavar="DIR",
        help="run the server on another checkout's code (DIR/src first on PYTHONPATH, same venv)",
    )
    parser.add_argument(
        "--baseline-stack",
        action="store_true",
        help="plain uvicorn on asyncio + h11 instead of `notalabel serve` (older commits)",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure here")
    args = parser.parse_args(argv)
    only = tuple(key.strip() for key in args.only.split(",") if key.strip())
    if unknown := sorted(set(only) - set(SCENARIO_KEYS)):
        parser.error(f"unknown scenario {', '.join(unknown)}; pick from {SCENARIO_KEYS}")
    if args.workers < 1 or args.connections < 1 or args.duration < 1:
        parser.error("--workers, --connections and --duration must be at least 1")
    if args.backend == "sqlite" and args.workers > 1 and not args.all:
        parser.error("several workers need --backend postgres (the CLI refuses them on SQLite)")
    source: Path | None = args.source.resolve() if args.source else None
    if source is not None and not (source / "src" / "notalabel" / "__init__.py").is_file():
        parser.error(f"--source {args.source}: no src/notalabel there")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    configs = [(args.backend, args.workers)]
    if args.all:
        configs = [("sqlite", 1), ("postgres", 1), ("postgres", 2)]
    stack = Stack(source, args.baseline_stack)
    options = Options(
        args.connections, args.duration, only, args.pg_admin_url, args.redis_url, stack, args.pg_tls
    )
    return configs, options, args.json


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each configuration and print its table; 1 when any run was not clean."""
    configs, options, json_path = parse_args(argv)
    started = time.time()
    results: list[dict[str, Any]] = []
    failed = False
    for number, (backend, workers) in enumerate(configs):
        try:
            report = run_config(backend, workers, options)
        except BenchError as exc:
            say(f"!! {backend}×{workers}: {exc}")
            failed = True
            results.append({"backend": backend, "workers": workers, "error": str(exc)})
        else:
            if number:
                print()
            print(render(report), flush=True)
            failed = failed or bool(report.failures())
            results.append(report.as_json())
        # after every configuration: an interrupted --all still leaves what it measured
        if json_path is not None:
            write_json(json_path, results, started)
    if failed:
        say("!! some runs had errors: these figures are not valid (see the FAILED lines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
