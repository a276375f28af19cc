"""Drive the onboarding conversation over HTTP."""

from __future__ import annotations

from typing import Any

import httpx

DESCRIPTION = "I love chill lo-fi beats for studying"
START = "/api/auth/musical-identity/start"
PROCESS = "/api/auth/musical-identity/process"
FINALIZE = "/api/auth/musical-identity/finalize"


async def start(client: httpx.AsyncClient) -> str:
    """Open a session and return its id."""
    response = await client.post(START)
    assert response.status_code == 201, response.text
    session_id: str = response.json()["sessionId"]
    return session_id


async def say(client: httpx.AsyncClient, session_id: str, text: str) -> dict[str, Any]:
    """Send one input; the step must answer 200."""
    response = await client.post(PROCESS, json={"sessionId": session_id, "input": text})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def session_at_confirmation(
    client: httpx.AsyncClient, name: str, description: str = DESCRIPTION
) -> str:
    """A session that has a pattern, accepted it and reserved `name`."""
    session_id = await start(client)
    await say(client, session_id, description)
    await say(client, session_id, "love it!")
    named = await say(client, session_id, name)
    assert named["nextStep"] == "confirmation", named
    return session_id


async def onboard(
    client: httpx.AsyncClient, name: str, description: str = DESCRIPTION
) -> dict[str, Any]:
    """Run the whole flow and return the final answer (with user and token)."""
    session_id = await session_at_confirmation(client, name, description)
    done = await say(client, session_id, "yes")
    assert done["nextStep"] == "completed", done
    return done
