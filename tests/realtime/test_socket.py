"""`/api/realtime` on a real server: auth by first message, live pushes, clear close codes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from notalabel.app import create_app
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.realtime import router as realtime_router
from notalabel.serving import GoingAwayWebSocketProtocol
from tests.patterns.factories import PATTERNS
from tests.users.factories import Artist, make_artist


@pytest.fixture
async def running(settings: Settings, container: Container) -> AsyncIterator[uvicorn.Server]:
    """A real uvicorn server on this test's database, on a free port, as `serve` runs it."""
    app = create_app(settings, container)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, ws=GoingAwayWebSocketProtocol, log_level="warning"
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers a flag, not an event
        await asyncio.sleep(0.02)
    yield server
    server.should_exit = True
    await serving


@pytest.fixture
def base(running: uvicorn.Server) -> str:
    """The running server's http:// base."""
    port = running.servers[0].sockets[0].getsockname()[1]
    return f"http://127.0.0.1:{port}"


def socket_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/api/realtime"


async def signed_in(base: str, artist: Artist, **auth: str) -> ClientConnection:
    socket = await connect(socket_url(base))
    await socket.send(json.dumps({"type": "auth", "token": artist.token, **auth}))
    assert json.loads(await socket.recv()) == {"type": "ready"}
    return socket


async def received_with_ids(socket: ClientConnection, count: int) -> list[dict[str, Any]]:
    return [json.loads(await asyncio.wait_for(socket.recv(), 5)) for _ in range(count)]


async def received(socket: ClientConnection, count: int) -> list[dict[str, Any]]:
    """The next `count` messages, without their ids."""
    messages = await received_with_ids(socket, count)
    assert all("id" in m for m in messages), messages
    return [{k: v for k, v in m.items() if k not in ("id", "at")} for m in messages]


async def close_code(socket: ClientConnection) -> tuple[int, str]:
    with pytest.raises(ConnectionClosed) as closed:
        await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def test_a_like_reaches_the_creators_socket_live(base: str, container: Container) -> None:
    maker = await make_artist(container, "Live Maker")
    fan = await make_artist(container, "Live Fan")
    async with httpx.AsyncClient(base_url=base) as http:
        made = await http.post(
            PATTERNS, json={"description": "deep house at night"}, headers=maker.headers
        )
        assert made.status_code == 201, made.text
        pattern_id = made.json()["id"]
        socket = await signed_in(base, maker)
        other = await signed_in(base, fan)
        liked = await http.put(f"{PATTERNS}/{pattern_id}/like", headers=fan.headers)
        assert liked.status_code == 200, liked.text
        messages = await received(socket, 2)
        assert {"type": "notifications", "unreadCount": 1} in messages
        assert {"type": "pattern", "patternId": pattern_id, "likes": 1} in messages
        played = await http.post(f"{PATTERNS}/{pattern_id}/play", headers=fan.headers)
        assert played.status_code == 200, played.text
    assert await received(socket, 1) == [{"type": "pattern", "patternId": pattern_id, "plays": 1}]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(other.recv(), 0.3)  # the liker hears nothing
    await socket.close()
    await other.close()


@pytest.mark.parametrize(
    ("first", "code"),
    [
        ("not json", 4400),
        (json.dumps({"type": "hello"}), 4400),
        (json.dumps({"type": "auth", "token": "nope"}), 4401),
        (json.dumps({"type": "auth", "token": ""}), 4400),
    ],
)
async def test_a_bad_first_message_closes_with_a_clear_code(
    base: str, first: str, code: int
) -> None:
    socket = await connect(socket_url(base))
    await socket.send(first)
    assert (await close_code(socket))[0] == code


async def test_silence_closes_and_a_revoked_sign_in_is_refused(
    base: str, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(realtime_router, "AUTH_SECONDS", 0.2)
    silent = await connect(socket_url(base))
    assert (await close_code(silent))[0] == 4408

    artist = await make_artist(container, "Gone Device")
    async with httpx.AsyncClient(base_url=base) as http:
        out = await http.post("/api/auth/logout", headers=artist.headers)
        assert out.is_success, out.text
    socket = await connect(socket_url(base))
    await socket.send(json.dumps({"type": "auth", "token": artist.token}))
    assert await close_code(socket) == (4401, "This sign-in has ended.")


async def test_a_server_going_away_closes_open_sockets_with_1001(
    base: str, running: uvicorn.Server, container: Container
) -> None:
    artist = await make_artist(container, "Stays Late")
    socket = await signed_in(base, artist)
    running.should_exit = True
    assert (await close_code(socket))[0] == 1001


async def test_a_reconnecting_socket_gets_what_it_missed(base: str, container: Container) -> None:
    maker = await make_artist(container, "Away Maker")
    fan = await make_artist(container, "Away Fan")
    async with httpx.AsyncClient(base_url=base) as http:
        ids = []
        for title in ("One", "Two"):
            made = await http.post(
                PATTERNS, json={"description": "ambient", "title": title}, headers=maker.headers
            )
            ids.append(made.json()["id"])
        socket = await signed_in(base, maker)
        await http.put(f"{PATTERNS}/{ids[0]}/like", headers=fan.headers)
        seen = await received_with_ids(socket, 2)
        await socket.close()
        await http.put(f"{PATTERNS}/{ids[1]}/like", headers=fan.headers)  # while away

    back = await signed_in(base, maker, lastId=seen[-1]["id"])
    missed = await received_with_ids(back, 2)
    assert all(m["id"] > seen[-1]["id"] for m in missed)
    assert {"type": "pattern", "patternId": ids[1], "likes": 1} in [
        {k: v for k, v in m.items() if k not in ("id", "at")} for m in missed
    ]
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(back.recv(), 0.3)  # nothing twice
    await back.close()

    stale = await signed_in(base, maker, lastId="1-0")  # older than anything kept
    assert await received(stale, 0) == []
    assert json.loads(await asyncio.wait_for(stale.recv(), 5)) == {"type": "resync"}
    await stale.close()

    bad = await connect(socket_url(base))
    await bad.send(json.dumps({"type": "auth", "token": maker.token, "lastId": "yesterday"}))
    assert (await close_code(bad))[0] == 4400
