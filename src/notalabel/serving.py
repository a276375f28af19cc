"""How uvicorn speaks HTTP for this service: httptools, with Nagle's algorithm off on every socket.

asyncio turns TCP_NODELAY on for the connections it accepts only when the listening socket
says it is TCP; the socket uvicorn hands to its worker processes (`--workers N`) comes back
from the supervisor without that, so each answer written as headers then body waited for the
client's delayed ACK (about 40 ms a request). Setting it here covers every way of serving.
"""

from __future__ import annotations

import asyncio
import contextlib
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
