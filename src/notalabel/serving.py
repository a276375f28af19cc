"""How uvicorn speaks HTTP for this service: httptools, with Nagle's algorithm off on every socket.

asyncio turns TCP_NODELAY on for the connections it accepts only when the listening socket
says it is TCP; the socket uvicorn hands to its worker processes (`--workers N`) comes back
from the supervisor without that, so each answer written as headers then body waited for the
client's delayed ACK (about 40 ms a request). Setting it here covers every way of serving.

The event loop depends on the database (`event_loop_for`): see its docstring. Each worker
settles its collector once started (`settle_collector`).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib.util
import os
import shutil
import socket
from pathlib import Path

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol on a socket that sends small writes at once."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Turn TCP_NODELAY on, then start the connection as uvicorn does."""
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


GOING_AWAY = 1001


class GoingAwayWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-io WebSocket protocol, closing open sockets as "going away" at shutdown.

    uvicorn says 1012 (service restart); 1001 is what a browser client and the issue expect
    when a worker stops. Either way the web app reconnects, to another worker if there is one.
    """

    def shutdown(self) -> None:
        """Close an open socket with 1001; anything else as uvicorn does."""
        if not self.handshake_complete or self.close_sent:
            super().shutdown()
            return
        self.stop_keepalive()
        self.queue.put_nowait({"type": "websocket.disconnect", "code": GOING_AWAY})
        self.conn.send_close(GOING_AWAY, "The server is going away: connect again.")
        self.close_sent = True
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.transport.close()


def event_loop_for(database_url: str) -> str:
    """uvicorn's loop: uvloop on PostgreSQL (where installed), the standard loop on SQLite."""
    # Measured with benchmarks/library.py and http_load.py, one worker, alternating runs:
    # on PostgreSQL uvloop served 15-25 % more signed-in feed pages and searches (each two
    # round trips to the database) and the same within noise for the rest; with SQLite work on
    # the loop it held about 2 % of new onboarding requests for 0.2-0.6 s and served 10 % less.
    if database_url.startswith("sqlite") or importlib.util.find_spec("uvloop") is None:
        return "asyncio"
    return "uvloop"


# Young objects collected after this many more allocations than frees (CPython's default: 700).
# A feed page or search allocates thousands of short-lived containers that refcounting frees at
# once; at 700 the collector still ran about 300 times a second under load (8 % of a worker's
# CPU, measured with gc.callbacks on benchmarks/library.py's search); at 50,000 it runs only
# when cyclic garbage really builds up, and what it holds meanwhile is a few MB at most.
YOUNG_THRESHOLD = 50_000


def settle_collector() -> None:
    """Freeze what start-up built and make young collections rare; once per worker process."""
    # what start-up built (routes, schemas, tables) lives as long as the process: leave it out
    # of the collector's full passes, which otherwise stall requests for ~0.1 s
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def share_metrics(data_dir: Path, workers: int) -> Path | None:
    """With several workers, have them write metrics where /metrics adds them all up.

    prometheus_client's multiprocess mode: each worker keeps its counters and histograms in
    files under one folder, and whichever worker answers /metrics sums them. The folder is
    emptied at start-up, so a restart does not add the last run's counts.
    """
    if workers <= 1:
        os.environ.pop(METRICS_DIR_VARIABLE, None)
        return None
    folder = data_dir / "prometheus"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, mode=0o700)
    # the workers are new interpreters (spawned): they read this when they import the client
    os.environ[METRICS_DIR_VARIABLE] = str(folder)
    return folder
