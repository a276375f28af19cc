"""Request bodies over their limit get 413 before the app reads or handles them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Message, Receive, Scope, Send

from notalabel.bodylimit import BodySizeLimitMiddleware
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.db import Database
from tests.service.apps import derive, serve

LOGIN = "/api/auth/login"


@pytest.fixture
def login_calls(monkeypatch: pytest.MonkeyPatch, container: Container) -> list[str]:
    """Records every call that reaches the login service."""
    calls: list[str] = []
    real = container.auth.login

    async def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("login")
        return await real(*args, **kwargs)

    monkeypatch.setattr(container.auth, "login", spy)
    return calls


async def test_a_declared_oversized_body_is_refused_unread(
    client: httpx.AsyncClient, settings: Settings, login_calls: list[str]
) -> None:
    body = b'{"identifier": "someone", "password": "' + b"x" * 70_000 + b'"}'
    response = await client.post(LOGIN, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["details"]["limitBytes"] == settings.max_json_body_bytes == 64 * 1024
    assert response.headers["x-request-id"]
    assert login_calls == []


async def test_the_body_is_never_received_when_content_length_is_too_big(
    settings: Settings, database: Database
) -> None:
    async with serve(settings, database) as (app, _, _):
        await _call_with_huge_content_length(app)


async def _call_with_huge_content_length(app: Any) -> None:
    received: list[Message] = []
    sent: list[Message] = []

    async def receive() -> Message:
        received.append({})
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": LOGIN,
        "raw_path": LOGIN.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"content-length", b"10000000")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }
    await app(scope, receive, send)
    assert sent[0]["status"] == 413
    assert received == []


async def test_a_streamed_body_stops_being_read_past_the_limit(
    client: httpx.AsyncClient, login_calls: list[str]
) -> None:
    produced: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"identifier": "someone", "password": "'
        for index in range(200):
            produced.append(index)
            yield b"x" * 8192
        yield b'"}'

    response = await client.post(
        LOGIN, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert login_calls == []
    # 64 kB is 8 chunks of 8 kB: reading stopped right after the limit, not at 1.6 MB
    assert len(produced) <= 10


async def test_bodies_within_the_limit_go_through(
    client: httpx.AsyncClient, login_calls: list[str]
) -> None:
    response = await client.post(LOGIN, json={"identifier": "nobody", "password": "x" * 1000})
    assert response.status_code == 401
    assert login_calls == ["login"]


async def test_the_limit_is_a_setting(settings: Settings, database: Database) -> None:
    async with serve(derive(settings, max_json_body_bytes=2048), database) as (_, _, client):
        response = await client.post(LOGIN, json={"identifier": "n", "password": "x" * 3000})
        assert response.status_code == 413


async def test_a_path_prefix_can_declare_its_own_limit() -> None:
    seen: list[int] = []

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        size = 0
        while True:
            message = await receive()
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        seen.append(size)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    limited = BodySizeLimitMiddleware(endpoint, 1024, {"/api/audio/": 4096})
    assert limited.limit_for("/api/audio/upload") == 4096
    assert limited.limit_for("/api/users/me") == 1024
    transport = httpx.ASGITransport(app=limited)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        assert (await http.post("/api/audio/upload", content=b"a" * 3000)).status_code == 204
        assert (await http.post("/api/audio/upload", content=b"a" * 5000)).status_code == 413
        assert (await http.post("/api/users/me", content=b"a" * 3000)).status_code == 413
    assert seen == [3000]
