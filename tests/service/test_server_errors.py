"""An unexpected error: a 500 in the error shape carrying the request id, logged once."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from tests.service.logcapture import captured_logs
from tests.users.factories import make_artist


async def test_a_500_carries_its_request_id_and_is_logged_once(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    artist = await make_artist(container, "Crash Test")

    async def broken(*_: object) -> None:
        raise RuntimeError("the flux capacitor melted")

    monkeypatch.setattr(container.auth, "devices", broken)
    with captured_logs() as logs:
        response = await client.get("/api/users/me/devices", headers=artist.headers)
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert error["details"] == {"requestId": request_id}
    assert "flux capacitor" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    mentions = [r for r in logs.records if "flux capacitor" in r.get("exc", "") + r["msg"]]
    assert len(mentions) == 1
    assert mentions[0]["request_id"] == request_id
    assert mentions[0]["level"] == "error"


async def test_the_client_request_id_is_kept_on_a_500(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(container.identity, "start", broken)
    response = await client.post(
        "/api/auth/musical-identity/start", headers={"x-request-id": "support-ticket-42"}
    )
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "support-ticket-42"
    assert response.json()["error"]["details"]["requestId"] == "support-ticket-42"
