"""A Redis that accepts connections and never answers must not hang requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from notalabel.config import Settings
from notalabel.db import Database
from tests.service.apps import production, serve


@pytest.fixture
async def silent_redis() -> AsyncIterator[str]:
    """The URL of a TCP server that accepts connections, reads, and never replies."""
    writers: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        while await reader.read(4096):
            pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"redis://127.0.0.1:{port}/0"
    for writer in writers:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_requests_finish_quickly_when_redis_hangs(
    settings: Settings, database: Database, silent_redis: str
) -> None:
    hung = production(settings, silent_redis, rate_limit_enabled=True, redis_timeout_seconds=0.25)
    async with serve(hung, database) as (_, container, client):
        assert container.redis is not None
        statuses = []
        calls = [
            lambda: client.get("/api/users/me"),
            lambda: client.post("/api/auth/musical-identity/start"),
            lambda: client.get("/readyz"),
            lambda: client.post("/api/auth/login", json={"identifier": "x", "password": "y"}),
        ]
        for index in range(20):
            response = await asyncio.wait_for(calls[index % 4](), timeout=3)
            statuses.append(response.status_code)
            # failing open: no limit was checked, so none is shown
            assert "x-ratelimit-limit" not in response.headers
    assert statuses[:4] == [401, 201, 503, 401]
    assert statuses == statuses[:4] * 5


def test_redis_timeout_is_a_bounded_setting() -> None:
    assert Settings(_env_file=None).redis_timeout_seconds == 0.25  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="redis_timeout_seconds"):
        Settings(_env_file=None, redis_timeout_seconds=0)  # type: ignore[call-arg]
