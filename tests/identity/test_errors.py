"""Bad input to the onboarding gets clear 4xx answers and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.identity.models import IdentitySession
from tests.identity.factories import FINALIZE, PROCESS, say, session_at_confirmation, start


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]


async def snapshot(client: httpx.AsyncClient, session_id: str) -> dict[str, object]:
    response = await client.get(f"/api/auth/musical-identity/session/{session_id}")
    return response.json()  # type: ignore[no-any-return]


async def test_unknown_session_is_404(client: httpx.AsyncClient) -> None:
    response = await client.post(PROCESS, json={"sessionId": "nope", "input": "lofi"})
    assert_error(response, 404, "session_not_found")
    missing = await client.get("/api/auth/musical-identity/session/nope")
    assert_error(missing, 404, "session_not_found")


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
async def test_empty_or_huge_input_is_422_and_changes_nothing(
    client: httpx.AsyncClient, text: str
) -> None:
    session_id = await start(client)
    before = await snapshot(client, session_id)
    response = await client.post(PROCESS, json={"sessionId": session_id, "input": text})
    error = assert_error(response, 422, "validation_error")
    assert "input" in str(error["message"])
    assert await snapshot(client, session_id) == before


async def test_input_of_2000_characters_is_fine(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    body = await say(client, session_id, ("lofi " * 400)[:2000])
    assert body["nextStep"] == "refinement"


async def test_malformed_bodies_are_422(client: httpx.AsyncClient) -> None:
    no_json = await client.post(
        PROCESS, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_error(no_json, 422, "validation_error")
    wrong_type = await client.post(PROCESS, json={"sessionId": 5, "input": ["a"]})
    assert_error(wrong_type, 422, "validation_error")
    extra = await client.post(PROCESS, json={"sessionId": "a", "input": "b", "admin": True})
    assert_error(extra, 422, "validation_error")


async def test_finalize_before_naming_is_409_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    session_id = await start(client)
    await say(client, session_id, "house music")
    before = await snapshot(client, session_id)
    response = await client.post(FINALIZE, json={"sessionId": session_id})
    error = assert_error(response, 409, "step_out_of_order")
    assert error["details"] == {"step": "refinement"}
    assert await snapshot(client, session_id) == before


async def test_expired_session_is_410(client: httpx.AsyncClient, container: Container) -> None:
    session_id = await start(client)
    async with container.db.transaction() as tx:
        await tx.execute(
            update(IdentitySession)
            .where(IdentitySession.id == session_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    response = await client.post(PROCESS, json={"sessionId": session_id, "input": "lofi"})
    assert_error(response, 410, "session_expired")
    resumed = await client.get(f"/api/auth/musical-identity/session/{session_id}")
    assert_error(resumed, 410, "session_expired")


async def test_completed_session_is_410(client: httpx.AsyncClient) -> None:
    session_id = await session_at_confirmation(client, "DoneAlready")
    await say(client, session_id, "yes")
    response = await client.post(PROCESS, json={"sessionId": session_id, "input": "again"})
    assert_error(response, 410, "session_completed")


async def test_abandoned_session_is_gone(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    deleted = await client.delete(f"/api/auth/musical-identity/session/{session_id}")
    assert deleted.status_code == 204
    response = await client.post(PROCESS, json={"sessionId": session_id, "input": "lofi"})
    assert_error(response, 404, "session_not_found")


async def test_unknown_route_and_method_use_the_error_shape(client: httpx.AsyncClient) -> None:
    assert_error(await client.get("/api/nothing-here"), 404, "not_found")
    assert_error(await client.get(FINALIZE), 405, "method_not_allowed")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Access denied. No token provided."),
        ("Bearer not-a-jwt", "Invalid token."),
    ],
)
async def test_me_needs_a_valid_token(
    client: httpx.AsyncClient, header: str | None, message: str
) -> None:
    headers = {"Authorization": header} if header else {}
    response = await client.get("/api/users/me", headers=headers)
    error = assert_error(response, 401, "unauthorized")
    assert error["message"] == message
