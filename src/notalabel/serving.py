"""How uvicorn speaks HTTP for this service: httptools, with Nagle's algorithm off on every socket.

asyncio turns TCP_NODELAY on for the connections it accepts only when the listening socket
says it is TCP; the socket uvicorn hands to its worker processes (`--workers N`) comes back
from the supervisor without that, so each answer written as headers then body waited for the
client's delayed ACK (about 40 ms a request). Setting it here covers every way of serving.

The event loop depends on the database (`event_loop_for`): see its docstring.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol on a socket that sends small writes at once."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Turn TCP_NODELAY on, then start the connection as uvicorn does."""
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def event_loop_for(database_url: str) -> str:
    """uvicorn's loop: uvloop on PostgreSQL (where installed), the standard loop on SQLite."""
    # Measured with benchmarks/library.py and http_load.py, one worker, alternating runs:
    # on PostgreSQL uvloop served 15-25 % more signed-in feed pages and searches (each two
    # round trips to the database) and the same within noise for the rest; with SQLite work on
    # the loop it held about 2 % of new onboarding requests for 0.2-0.6 s and served 10 % less.
    if database_url.startswith("sqlite") or importlib.util.find_spec("uvloop") is None:
        return "asyncio"
    return "uvloop"
