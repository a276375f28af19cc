"""Complete onboarding flows per second, and step latency under concurrent clients.

Starts a real `notalabel serve` process and drives it over HTTP from this process.

    .venv/bin/python benchmarks/onboarding.py --backend sqlite
    .venv/bin/python benchmarks/onboarding.py --backend postgres --workers 2

PostgreSQL mode creates (and afterwards drops) a database `notalabel_bench` on the server of
--pg-admin-url and uses Redis at --redis-url.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

DESCRIPTIONS = [
    "I love chill lo-fi beats for studying",
    "hard trap with 808s for the gym",
    "deep house for dancing",
    "dark techno at 3am",
    "dreamy ambient with rain",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(env: dict[str, str], port: int, workers: int) -> Iterator[str]:
    command = [sys.executable, "-m", "notalabel", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    # the benchmark is one client IP making thousands of requests: lift the rate limits
    env = {**env, "NAL_LOG_LEVEL": "WARNING", "NAL_RATE_LIMIT_ENABLED": "false"}
    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


async def one_flow(
    client: httpx.AsyncClient, number: int, latencies: dict[str, list[float]]
) -> None:
    started = await client.post("/api/auth/musical-identity/start")
    started.raise_for_status()
    session_id = started.json()["sessionId"]
    steps = [
        ("discovery", DESCRIPTIONS[number % len(DESCRIPTIONS)]),
        ("refinement", "more bass and a bit faster"),
        ("accept", "love it"),
        ("naming", f"Bench {secrets.token_hex(6)}"),
        ("confirmation", "yes"),
    ]
    for label, text in steps:
        began = time.perf_counter()
        response = await client.post(
            "/api/auth/musical-identity/process", json={"sessionId": session_id, "input": text}
        )
        latencies[label].append(time.perf_counter() - began)
        response.raise_for_status()


async def drive(base: str, flows: int, concurrency: int) -> tuple[float, dict[str, list[float]]]:
    latencies: dict[str, list[float]] = {
        k: [] for k in ("discovery", "refinement", "accept", "naming", "confirmation")
    }
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(flows):
        queue.put_nowait(number)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await one_flow(client, 0, {k: [] for k in latencies})  # warm-up

        async def worker() -> None:
            while not queue.empty():
                await one_flow(client, queue.get_nowait(), latencies)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return elapsed, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def report(
    backend: str,
    workers: int,
    flows: int,
    concurrency: int,
    elapsed: float,
    latencies: dict[str, list[float]],
) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"backend: {backend}, server workers: {workers}, clients: {concurrency}, flows: {flows}")
    print(f"complete onboarding flows/s: {flows / elapsed:.1f}  ({elapsed:.1f} s)")
    every = [v for values in latencies.values() for v in values]
    for label, values in [("one step (any)", every), *latencies.items()]:
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        print(f"  {label:<15} p50 {p50:.1f} ms  p99 {p99:.1f} ms")
    print(f"mean {statistics.mean(every) * 1000:.1f} ms over {len(every)} steps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--flows", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pg-admin-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env["NAL_DATA_DIR"] = data_dir
        if args.backend == "postgres":
            import asyncpg  # noqa: F401  (asserts the driver is present)

            admin = args.pg_admin_url
            subprocess.run(
                ["psql", admin, "-qc", "DROP DATABASE IF EXISTS notalabel_bench"], check=True
            )
            subprocess.run(["psql", admin, "-qc", "CREATE DATABASE notalabel_bench"], check=True)
            env.update(
                NAL_MODE="production",
                NAL_DATABASE_URL=admin.rsplit("/", 1)[0].replace(
                    "postgresql://", "postgresql+asyncpg://"
                )
                + "/notalabel_bench",
                NAL_REDIS_URL=args.redis_url,
                NAL_JWT_SECRET=secrets.token_urlsafe(48),
            )
            subprocess.run(
                [sys.executable, "-m", "notalabel", "db", "upgrade"],
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        try:
            with server(env, port, args.workers) as base:
                elapsed, latencies = asyncio.run(drive(base, args.flows, args.concurrency))
        finally:
            if args.backend == "postgres":
                subprocess.run(
                    ["psql", args.pg_admin_url, "-qc", "DROP DATABASE IF EXISTS notalabel_bench"],
                    check=False,
                )
        report(args.backend, args.workers, args.flows, args.concurrency, elapsed, latencies)


if __name__ == "__main__":
    main()
