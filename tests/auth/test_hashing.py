"""Password hashing runs off the event loop, at a lower CPU priority than request handling."""

from __future__ import annotations

import asyncio
import os
import sys
import threading

import pytest

from notalabel.auth.hashing import HASHING_NICENESS, HASHING_THREADS, off_loop
from notalabel.auth.passwords import hash_password, verify_password


def _where() -> tuple[int, int]:
    native = threading.get_native_id()
    return native, os.getpriority(os.PRIO_PROCESS, native)


async def test_hashing_runs_on_another_thread() -> None:
    thread, _ = await off_loop(_where)
    assert thread != threading.get_native_id()
    hashed = await off_loop(hash_password, "a long enough passphrase")
    assert await off_loop(verify_password, hashed, "a long enough passphrase")
    assert not await off_loop(verify_password, hashed, "another passphrase")


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread nice values are Linux's")
async def test_hashing_threads_yield_the_cpu_to_the_event_loop() -> None:
    _, loop_nice = _where()
    _, hashing_nice = await off_loop(_where)
    # ten steps below the loop (Linux's lowest priority is 19)
    assert HASHING_NICENESS == 10
    assert hashing_nice == min(loop_nice + 10, 19)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores")
async def test_one_hash_at_a_time_per_core() -> None:
    assert os.cpu_count() == HASHING_THREADS
    # as many works as threads meet at a barrier only if they all run at once
    barrier = threading.Barrier(HASHING_THREADS, timeout=5)
    await asyncio.gather(*(off_loop(barrier.wait) for _ in range(HASHING_THREADS)))
