"""The API client: the error shape, 429 wording and unreachable servers as one exception."""

from __future__ import annotations

import httpx
import pytest

from notalabel.terminal.client import ApiClient, ApiError


def _client(handler: httpx.MockTransport) -> ApiClient:
    http = httpx.AsyncClient(transport=handler, base_url="http://api.test")
    return ApiClient(http, "http://api.test")


async def test_error_shape_becomes_the_message_code_and_status() -> None:
    body = {"error": {"code": "session_completed", "message": "Sign in instead.", "details": None}}
    api = _client(httpx.MockTransport(lambda _: httpx.Response(410, json=body)))
    with pytest.raises(ApiError) as caught:
        await api.process("abc", "hello")
    assert (caught.value.status, caught.value.code) == (410, "session_completed")
    assert str(caught.value) == "Sign in instead."


async def test_too_many_attempts_says_how_long_from_retry_after() -> None:
    body = {"error": {"code": "rate_limited", "message": "Too many requests", "details": {}}}
    answer = httpx.Response(429, json=body, headers={"Retry-After": "42"})
    api = _client(httpx.MockTransport(lambda _: answer))
    with pytest.raises(ApiError) as caught:
        await api.start()
    assert caught.value.message == "too many attempts, try again in 42 seconds"
    assert caught.value.status == 429


async def test_too_many_attempts_without_retry_after_says_later() -> None:
    api = _client(httpx.MockTransport(lambda _: httpx.Response(429)))
    with pytest.raises(ApiError, match="try again later"):
        await api.start()


async def test_an_answer_outside_the_error_shape_still_gives_a_message() -> None:
    api = _client(httpx.MockTransport(lambda _: httpx.Response(502, text="<html>bad gateway")))
    with pytest.raises(ApiError, match="HTTP 502"):
        await api.me("token")


async def test_an_unreachable_server_is_an_api_error_naming_it() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    api = _client(httpx.MockTransport(refuse))
    with pytest.raises(ApiError, match=r"cannot reach http://api\.test"):
        await api.logout("token")


async def test_requests_carry_the_bearer_token_and_camel_case_bodies() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"token": "a", "refreshToken": "b"})

    api = _client(httpx.MockTransport(record))
    await api.refresh("r1")
    await api.me("t1")
    assert seen[0].url.path == "/api/auth/refresh"
    assert seen[0].content == b'{"refreshToken":"r1"}'
    assert seen[1].headers["authorization"] == "Bearer t1"
