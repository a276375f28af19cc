"""The pattern library under load on PostgreSQL (issue 10): feeds, search, likes, a pattern page.

Fills a fresh database (nal_bench_library, dropped and recreated) with 10,000 artists, 100,000
patterns, 1,000,000 likes and 200,000 comments straight through SQL (benchmarks/load/
library_seed.py), starts the real `notalabel serve` in production mode on it with Redis, makes
one benchmark artist per connection through the onboarding API (one of them follows 200 bulk
artists), then drives each route with wrk (one connection per thread, the script
benchmarks/wrk/library_route.lua). Each route is framed by GET /api/health runs, the floor,
exactly as benchmarks/http_load.py does; the ratio to the floor is the figure to compare on a
noisy machine. The issue's target: every read p99 under 50 ms at 20 connections.

    .venv/bin/python benchmarks/library.py                       # 10 s per route, 2 workers
    .venv/bin/python benchmarks/library.py --seconds 5 --json library.json
    .venv/bin/python benchmarks/library.py --keep                # leave the database behind

Any non-2xx answer or socket error fails the run (exit 1). Tables to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from load.common import BenchError, say
from load.database import migrate, psql
from load.library_seed import SEARCH_WORD, Sizes, bulk_pattern_id, fill, follow, user_ids
from load.report import Report, Row, Scenario, render, write_json
from load.seed import Account, lua_string, seed_accounts
from load.server import Server, serve
from load.stack import Stack, drop_event_stream, server_env
from load.wrk import WrkResult, run_wrk

from notalabel.engine.vocabulary import Genre

DATABASE = "nal_bench_library"
TARGET_P99_MS = 50.0
SCRIPT = "library_route.lua"
# bulk pattern g is private when g % 20 == 0 (library_seed): the scripts only use public ones
PAGES = 500
LIKES_PER_THREAD = 2_000

SCENARIOS = (
    Scenario("trending", "GET /api/feeds/trending", SCRIPT, "read"),
    Scenario("following", "GET /api/feeds/following (200)", SCRIPT, "read"),
    Scenario("genre", "GET /api/feeds/recent?genre=", SCRIPT, "read"),
    Scenario("search", f"GET /api/patterns/search?q={SEARCH_WORD}", SCRIPT, "read"),
    Scenario("like", "PUT /api/patterns/{id}/like", SCRIPT, "write"),
    Scenario("page", "GET pattern + its comments", SCRIPT, "read"),
)


@contextmanager
def library_database(admin_url: str, keep: bool) -> Iterator[tuple[str, str]]:
    """A fresh database: its asyncpg URL for the server and its plain URL for the loader."""
    drop = f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"
    psql(admin_url, drop)
    psql(admin_url, f"CREATE DATABASE {DATABASE}")
    parts = urlsplit(admin_url)
    # on loopback TLS protects nothing and costs CPU (see load/database.py)
    query = "&".join(q for q in (parts.query, "ssl=disable") if q)
    server_url = urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{DATABASE}", query, ""))
    loader_url = urlunsplit(("postgresql", parts.netloc, f"/{DATABASE}", parts.query, ""))
    try:
        yield server_url, loader_url
    finally:
        if not keep:
            psql(admin_url, drop)


def public_patterns(start: int, count: int) -> list[int]:
    """`count` public bulk pattern numbers from `start` on."""
    numbers: list[int] = []
    number = start
    while len(numbers) < count:
        if number % 20:
            numbers.append(number)
        number += 1
    return numbers


def write_threads(path: Path, threads: Sequence[tuple[str | None, Sequence[str]]]) -> None:
    """The Lua data file library_route.lua reads: per thread, a token and its paths."""
    lines = ["return { threads = {"]
    for token, paths in threads:
        token_field = f"token = {lua_string(token)}, " if token else ""
        body = ", ".join(lua_string(p) for p in paths)
        lines.append(f"  {{ {token_field}paths = {{ {body} }} }},")
    lines += ["} }", ""]
    path.write_text("\n".join(lines))


def scenario_data(
    key: str, accounts: Sequence[Account], sizes: Sizes
) -> list[tuple[str | None, list[str]]]:
    """Per-thread tokens and paths for one scenario."""
    if key == "trending":
        return [(None, ["/api/feeds/trending"])]
    if key == "following":
        return [(accounts[0].access, ["/api/feeds/following"])]
    if key == "genre":
        return [(None, [f"/api/feeds/recent?genre={quote(g.value)}" for g in Genre])]
    if key == "search":
        return [(None, [f"/api/patterns/search?q={SEARCH_WORD}"])]
    if key == "like":
        # each artist likes patterns nobody made it like before: every answer is a real write
        step = sizes.patterns // len(accounts)
        return [
            (a.access, [f"/api/patterns/{bulk_pattern_id(n)}/like"
                        for n in public_patterns(i * step, LIKES_PER_THREAD)])
            for i, a in enumerate(accounts)
        ]  # fmt: skip
    paths: list[str] = []
    for number in public_patterns(1, PAGES):
        pattern = f"/api/patterns/{bulk_pattern_id(number)}"
        paths += [pattern, f"{pattern}/comments"]
    return [(None, paths)]


def measure(
    server: Server,
    report: Report,
    accounts: Sequence[Account],
    sizes: Sizes,
    home: Path,
    seconds: int,
    connections: int,
) -> None:
    """Each scenario framed by health runs."""
    data = home / "library.lua"
    run_wrk(server.base, "health.lua", connections, 1)  # warm-up, not measured
    server.settle()
    say("floor: GET /api/health")
    floor = run_wrk(server.base, "health.lua", connections, seconds)
    for scenario in SCENARIOS:
        write_threads(data, scenario_data(scenario.key, accounts, sizes))
        method = "PUT" if scenario.key == "like" else "GET"
        # a short run first: the first requests of a route pay for cold caches and plans
        run_wrk(server.base, SCRIPT, connections, 1, [str(data), method])
        server.settle()
        say(scenario.label)
        cpu_before = server.cpu_seconds()
        work = run_wrk(server.base, SCRIPT, connections, seconds, [str(data), method])
        cpu_used = server.cpu_seconds() - cpu_before
        server.settle()
        say("floor: GET /api/health")
        after = run_wrk(server.base, "health.lua", connections, seconds)
        report.rows.append(Row(scenario, floor, work, after, cpu_used / work.seconds))
        floor = after
        if problem := work.problem():
            say(f"!! {scenario.label} FAILED: {problem}")


def targets(report: Report) -> list[str]:
    """One line per read: does its p99 meet the issue's target?"""
    lines = [f"target: every read p99 < {TARGET_P99_MS:.0f} ms at {report.connections} connections"]
    for row in report.rows:
        if row.scenario.needs != "read":
            continue
        work: WrkResult = row.work
        mark = "ok" if work.p99_ms < TARGET_P99_MS else "MISSED"
        lines.append(f"  {mark:<7}{row.scenario.label} (p99 {work.p99_ms:.1f} ms)")
    return lines


def run(args: argparse.Namespace) -> tuple[Report, float]:
    """Fill, serve, seed and measure; the report and the seconds the fill took."""
    stack = Stack()
    sizes = Sizes(args.artists, args.patterns, args.likes, args.comments)
    report = Report(
        "postgres (TLS off)", args.workers, args.connections, args.seconds, stack.describe()
    )
    with (
        tempfile.TemporaryDirectory(prefix="nal-library-") as temp,
        library_database(args.pg_admin_url, args.keep) as (server_url, loader_url),
    ):
        home = Path(temp)
        env = server_env("postgres", home, server_url, args.redis_url)
        say(f"migrating {DATABASE}")
        migrate(env, home)
        say(f"filling: {sizes}")
        filled = asyncio.run(fill(loader_url, sizes))
        say(f"filled in {filled:.1f} s")
        # the run's event stream is its own: delete it afterwards, whatever happened
        with ExitStack() as cleanup:
            cleanup.callback(drop_event_stream, env)
            server = cleanup.enter_context(serve(stack, env, args.workers, home))
            say(f"server up at {server.base}; making {args.connections} benchmark artists")
            run_tag = str(int(time.time()))
            password = secrets.token_urlsafe(18)
            accounts = seed_accounts(server.base, args.connections, run_tag, password)
            ids = asyncio.run(user_ids(loader_url, [accounts[0].name]))
            asyncio.run(follow(loader_url, ids[accounts[0].name], sizes.follows))
            measure(server, report, accounts, sizes, home, args.seconds, args.connections)
            report.rss, report.supervisor_rss = server.peak_rss()
            if report.failures():
                say(f"server log (end):\n{server.log_tail()}")
    return report, filled


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=20, help="wrk connections (=threads)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--artists", type=int, default=10_000)
    parser.add_argument("--patterns", type=int, default=100_000)
    parser.add_argument("--likes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--keep", action="store_true", help=f"do not drop {DATABASE} afterwards")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure here")
    args = parser.parse_args(argv)
    if min(args.seconds, args.connections, args.workers) < 1:
        parser.error("--seconds, --connections and --workers must be at least 1")
    if args.patterns < args.connections * LIKES_PER_THREAD * 21 // 20:
        parser.error("--patterns: too few for every benchmark artist's likes")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its table; 1 when any run was not clean."""
    args = parse_args(argv)
    started = time.time()
    try:
        report, filled = run(args)
    except BenchError as exc:
        say(f"!! {exc}")
        return 1
    print(render(report))
    print(f"fill: {filled:.1f} s (load, counters, VACUUM ANALYZE)")
    print("\n".join(targets(report)), flush=True)
    if args.json is not None:
        write_json(args.json, [{**report.as_json(), "fill_seconds": filled}], started)
    if report.failures():
        say("!! some runs had errors: these figures are not valid (see the FAILED lines)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
