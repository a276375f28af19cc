"""Every connection the server accepts sends small writes at once (Nagle's algorithm off)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from notalabel.serving import NoDelayHttpToolsProtocol


async def _app(scope: Any, receive: Any, send: Any) -> None:  # pragma: no cover - never called
    raise AssertionError


class _Transport(asyncio.Transport):
    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"socket": self._sock, "sockname": self._sock.getsockname()}.get(name, default)


@pytest.fixture
def accepted() -> Iterator[socket.socket]:
    """A server-side TCP socket as a worker may get it: Nagle's algorithm on."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server_side, _ = listener.accept()
        server_side.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        yield server_side
        server_side.close()
        client.close()


async def test_accepted_connections_get_tcp_nodelay(accepted: socket.socket) -> None:
    config = Config(app=_app, log_config=None)
    config.load()
    protocol = NoDelayHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    protocol.connection_made(_Transport(accepted))
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    protocol.connections.discard(protocol)
