"""Password hashing off the event loop, and behind it in the queue for the CPU.

argon2id is slow on purpose (tens of milliseconds of CPU and 64 MiB per hash, over four lanes
that run as threads). Run on the loop it would stall every request; run on asyncio's default
pool, a login flood would put dozens of hashing threads on the cores beside the loop. Here
hashes run on a pool of one thread per core whose priority is lowered (nice +10): argon2's lane
threads inherit it, so request handling keeps the CPU it needs and logins queue instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
HASHING_NICENESS = 10


def _lower_priority() -> None:
    # Linux keeps a nice value per thread; a container may forbid changing it, which only
    # costs the priority, not the hashing
    with contextlib.suppress(OSError, AttributeError):
        thread = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(current + HASHING_NICENESS, 19))


HASHING_THREADS = os.cpu_count() or 1
_pool = ThreadPoolExecutor(
    max_workers=HASHING_THREADS, thread_name_prefix="argon2", initializer=_lower_priority
)


async def off_loop(work: Callable[..., T], *args: object) -> T:
    """Run a password hash or verification on the hashing pool."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, functools.partial(work, *args))
