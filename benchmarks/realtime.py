"""Events to open sockets under a steady write load (issue 12), on one and on two workers.

Fills a fresh PostgreSQL database (nal_bench_realtime) with SOCKETS listening artists, each
with one pattern, and one fan per wrk thread (made with the app's own code, signed with the
server's secret), starts the real `notalabel serve` in production mode with Redis, opens one
/api/realtime socket per listener from this process, then has wrk (benchmarks/wrk/
library_route.lua, each thread on a fixed schedule whatever its answers take) send likes at
RATE a second, each a fan's first like of that pattern (so every like is one event). The
creator's socket receives `{"type": "pattern", ..., "at": <when the like happened>}`; the
latency is the socket's receive time minus `at` (one machine, one clock). Each configuration
is framed by GET /api/health runs, the floor, as in the other benchmarks.

    .venv/bin/python benchmarks/realtime.py                     # 1 and 2 workers, 20 s each
    .venv/bin/python benchmarks/realtime.py --workers 2 --seconds 10 --json realtime.json

The issue's target: p99 under 100 ms at 200 events a second with 1,000 sockets.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from load import procfs
from load.common import BenchError, say
from load.database import migrate, psql
from load.report import machine
from load.seed import lua_string
from load.server import Server, serve
from load.stack import Stack, drop_event_stream, server_env
from load.wrk import finish_wrk, run_wrk, start_wrk
from websockets.asyncio.client import ClientConnection, connect

from notalabel.config import Mode, Settings
from notalabel.container import build_container
from notalabel.db import utcnow
from notalabel.patterns.models import new_pattern_id
from notalabel.patterns.service import insert_pattern
from notalabel.users.service import ClientInfo, new_artist, sign_in

DATABASE = "nal_bench_realtime"
TARGET_P99_MS = 100.0
TARGET_RATE = 200  # events a second (a run reaching 95 % of it counts)
THREADS = 40


def pattern_row(creator_id: str) -> dict[str, Any]:
    """A minimal public pattern."""
    now = utcnow()
    return {
        "id": new_pattern_id(), "creator_id": creator_id, "title": "Listening",
        "description": "", "strudel_code": 's("bd sd")', "model": None, "bpm": 90, "key": "",
        "genre": "lo-fi", "mood": "chill", "tags": [], "is_signature": False,
        "is_public": True, "is_remixable": True, "original_pattern_id": None,
        "remix_type": None, "ai_generated": False, "prompt": None, "difficulty": 5,
        "time_signature": "4/4", "version": 1, "likes": 0, "plays": 0, "shares": 0,
        "comments": 0, "remixes": 0, "created_at": now, "updated_at": now,
    }  # fmt: skip


async def make_artists(
    env: dict[str, str], home: Path, listeners: int, fans: int
) -> tuple[list[tuple[str, str]], list[str]]:
    """(token, pattern id) per listener and a token per fan, made with the app's own code."""
    settings = Settings(
        _env_file=None,
        mode=Mode.PRODUCTION, database_url=env["NAL_DATABASE_URL"],
        redis_url=env["NAL_REDIS_URL"], jwt_secret=env["NAL_JWT_SECRET"], data_dir=home,
        voiceprint_key=env["NAL_VOICEPRINT_KEY"], mail_backend="log",
    )  # fmt: skip
    container = build_container(settings)
    tag = secrets.token_hex(3)

    async def one(name: str, with_pattern: bool) -> tuple[str, str]:
        async with container.db.transaction() as tx:
            user = new_artist(
                artist_name=name, name_key=name.casefold(),
                music_dna={"primaryGenre": "lo-fi", "preferredMood": "chill"},
                signature_pattern={"genre": "lo-fi"}, bio="", collaboration_openness=5,
            )  # fmt: skip
            tx.add(user)
            await tx.flush()
            signed = await sign_in(tx, container.tokens, user, "musical_identity", ClientInfo())
        pattern_id = ""
        if with_pattern:
            row = pattern_row(user.id)
            await container.db.run(lambda conn: insert_pattern(conn, row))
            pattern_id = row["id"]
        return signed.access_token, pattern_id

    try:
        made = [await one(f"listener {tag} {n}", True) for n in range(listeners)]
        fan_tokens = [(await one(f"fan {tag} {n}", False))[0] for n in range(fans)]
    finally:
        await container.close()
    return made, fan_tokens


class Listeners:
    """The sockets, and the latency of every pattern push they receive."""

    def __init__(self) -> None:
        self.latencies_ms: list[float] = []
        self.received_at: list[float] = []
        self.sockets: list[ClientConnection] = []
        self._tasks: list[asyncio.Task[None]] = []
        self.measuring = False

    async def open(self, base: str, tokens: Sequence[str]) -> None:
        """One socket per token, authenticated and ready."""
        url = base.replace("http://", "ws://") + "/api/realtime"
        for start in range(0, len(tokens), 50):
            batch = await asyncio.gather(*(self._one(url, t) for t in tokens[start : start + 50]))
            self.sockets.extend(batch)
        self._tasks = [asyncio.create_task(self._read(s)) for s in self.sockets]

    async def _one(self, url: str, token: str) -> ClientConnection:
        socket = await connect(url, max_queue=None)
        await socket.send(json.dumps({"type": "auth", "token": token}))
        if json.loads(await socket.recv()) != {"type": "ready"}:
            raise BenchError("a socket was not accepted")
        return socket

    async def _read(self, socket: ClientConnection) -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message.get("type") == "pattern" and self.measuring:
                now = time.time()
                at = datetime.fromisoformat(message["at"])
                self.latencies_ms.append((now - at.timestamp()) * 1000)
                self.received_at.append(now)

    async def close(self) -> None:
        """Close every socket."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


def push_span(listeners: Listeners) -> float:
    """Seconds from the first measured push to the last."""
    times = listeners.received_at
    return max(times) - min(times) if len(times) > 1 else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def cpu_by_process(server: Server) -> dict[str, float]:
    """CPU seconds used so far by the server, PostgreSQL's processes and Redis."""
    return {
        "server": server.cpu_seconds(),
        "postgres": sum(procfs.cpu_seconds(pid) for pid in procfs.named("postgres")),
        "redis": sum(procfs.cpu_seconds(pid) for pid in procfs.named("redis-server")),
    }


def write_data(path: Path, fans: Sequence[str], patterns: Sequence[str]) -> None:
    """Per wrk thread: its own fan's token and every pattern once, so each like is new."""
    lines = ["return { threads = {"]
    for thread in range(THREADS):
        fan = fans[thread % len(fans)]
        # each thread starts elsewhere, so the likes spread over every listener at once
        mine = [*patterns[thread * 7 % len(patterns) :], *patterns[: thread * 7 % len(patterns)]]
        body = ", ".join(lua_string(f"/api/patterns/{p}/like") for p in mine)
        lines.append(f"  {{ token = {lua_string(fan)}, paths = {{ {body} }} }},")
    lines += ["} }", ""]
    path.write_text("\n".join(lines))


async def measure(
    server: Server, home: Path, args: argparse.Namespace, made: Any
) -> dict[str, Any]:
    """One configuration: floor, sockets, paced likes, floor again."""
    listening, fans = made
    floor = run_wrk(server.base, "health.lua", THREADS, args.seconds // 2 or 1)
    listeners = Listeners()
    say(f"opening {len(listening)} sockets")
    await listeners.open(server.base, [token for token, _ in listening])
    data = home / f"likes-{server.workers}.lua"
    write_data(data, fans, [pattern for _, pattern in listening])
    period_ms = THREADS * 1000 / args.rate
    say(f"likes at about {args.rate}/s for {args.seconds} s")
    # this process timestamps what the sockets receive: a collection of its 1,000 sockets'
    # objects (200 ms here) would be counted as the server's latency
    gc.collect()
    gc.freeze()
    gc.disable()
    listeners.measuring = True
    cpu_before = cpu_by_process(server)
    wrk = start_wrk(server.base, "library_route.lua", THREADS, args.seconds,
                    [str(data), "PUT", str(period_ms), str(THREADS)])  # fmt: skip
    likes = await asyncio.to_thread(finish_wrk, wrk, "paced likes")
    await asyncio.sleep(2.0)  # the last pushes in flight
    cpu_after = cpu_by_process(server)
    listeners.measuring = False
    gc.enable()
    gc.unfreeze()
    await listeners.close()
    after = run_wrk(server.base, "health.lua", THREADS, args.seconds // 2 or 1)
    if problem := likes.problem():
        raise BenchError(f"the likes failed: {problem}")
    received = listeners.latencies_ms
    return {
        "workers": server.workers,
        "sockets": len(listening),
        "likes_sent": likes.requests,
        "likes_per_s": likes.requests / likes.seconds,
        "pushes_received": len(received),
        # from the first push to the last: what the sockets were sent while the likes ran
        "events_per_s": (len(received) - 1) / span if (span := push_span(listeners)) else 0.0,
        "p50_ms": percentile(received, 0.50),
        "p99_ms": percentile(received, 0.99),
        "max_ms": max(received, default=float("nan")),
        "like_p99_ms": likes.p99_ms,
        # CPU per like, less noisy than latency on a shared machine: what each part spends
        **{
            f"{part}_cpu_ms_per_like": (cpu_after[part] - cpu_before[part])
            * 1000
            / max(likes.requests, 1)
            for part in cpu_before
        },
        "floor_rps": (floor.requests / floor.seconds + after.requests / after.seconds) / 2,
        "floor_p99_ms": max(floor.p99_ms, after.p99_ms),
    }


def admin_urls(admin_url: str) -> tuple[str, str]:
    """The server's asyncpg URL for the benchmark database, TLS off on loopback."""
    parts = urlsplit(admin_url)
    query = "&".join(q for q in (parts.query, "ssl=disable") if q)
    return urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{DATABASE}", query, "")), admin_url


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Each worker count on a fresh database."""
    results = []
    for workers in args.workers:
        server_url, admin = admin_urls(args.pg_admin_url)
        drop = f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"
        psql(admin, drop)
        psql(admin, f"CREATE DATABASE {DATABASE}")
        try:
            with tempfile.TemporaryDirectory(prefix="nal-realtime-") as temp:
                home = Path(temp)
                env = server_env("postgres", home, server_url, args.redis_url)
                migrate(env, home)
                say(f"{workers} worker(s): making {args.sockets} listeners and {THREADS} fans")
                made = asyncio.run(make_artists(env, home, args.sockets, THREADS))
                try:
                    with serve(Stack(), env, workers, home) as server:
                        results.append(asyncio.run(measure(server, home, args, made)))
                finally:
                    drop_event_stream(env)
        finally:
            psql(admin, drop)
    return results


def render(results: Sequence[dict[str, Any]], args: argparse.Namespace) -> str:
    """The table."""
    lines = [
        f"machine: {machine()['arch']}, {machine()['cores']} cores · {args.sockets} sockets · "
        f"likes paced at {args.rate}/s · {args.seconds} s each",
        "workers  floor req/s  floor p99 ms  likes/s  a like costs  events/s to sockets  "
        "p50 ms  p99 ms  max ms  CPU ms a like: server  PostgreSQL  Redis",
    ]
    for r in results:
        lines.append(
            f"{r['workers']:>7}  {r['floor_rps']:>11,.0f}  {r['floor_p99_ms']:>12.1f}  "
            f"{r['likes_per_s']:>7.0f}  {r['floor_rps'] / r['likes_per_s']:>9.0f} × fl"
            f"  {r['events_per_s']:>19.0f}  {r['p50_ms']:>6.1f}  "
            f"{r['p99_ms']:>6.1f}  {r['max_ms']:>6.0f}  "
            f"{r['server_cpu_ms_per_like']:>20.2f}  {r['postgres_cpu_ms_per_like']:>10.2f}  "
            f"{r['redis_cpu_ms_per_like']:>5.2f}"
        )
    lines.append("a like costs: floor req/s ÷ likes/s, how many health requests one like is worth")
    lines.append(f"target: p99 < {TARGET_P99_MS:.0f} ms at {TARGET_RATE} events/s")
    for r in results:
        reached = r["events_per_s"] >= 0.95 * TARGET_RATE
        mark = "ok" if r["p99_ms"] < TARGET_P99_MS and reached else "MISSED"
        lines.append(f"  {mark:<7}{r['workers']} worker(s): p99 {r['p99_ms']:.1f} ms at "
                     f"{r['events_per_s']:.0f} events/s")  # fmt: skip
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20, help="seconds of paced likes")
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--rate", type=int, default=200, help="likes a second, about")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure here")
    args = parser.parse_args(argv)
    if args.sockets < THREADS or args.rate < 1 or args.seconds < 2:
        parser.error("--sockets must be at least 20, --rate at least 1, --seconds at least 2")
    if args.rate * args.seconds * 1.5 > args.sockets * THREADS:
        parser.error("too few sockets for that many likes (each pair is liked once)")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install wrk)")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run and print; 1 when a run failed."""
    args = parse_args(argv)
    try:
        results = run(args)
    except BenchError as exc:
        say(f"!! {exc}")
        return 1
    print(render(results, args), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
