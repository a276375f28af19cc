"""A completed onboarding belongs to its account: its id no longer reads the transcript."""

from __future__ import annotations

import httpx

from tests.identity.factories import say, session_at_confirmation

SESSION = "/api/auth/musical-identity/session/{}"


async def test_a_completed_session_is_410_and_its_transcript_stays_in_the_export(
    client: httpx.AsyncClient,
) -> None:
    session_id = await session_at_confirmation(client, "OwnTranscript")
    readable = await client.get(SESSION.format(session_id))
    assert readable.status_code == 200, readable.text
    done = await say(client, session_id, "yes")

    gone = await client.get(SESSION.format(session_id))
    assert gone.status_code == 410, gone.text
    assert gone.json()["error"]["code"] == "session_completed"
    assert "responses" not in gone.text

    headers = {"Authorization": f"Bearer {done['token']}"}
    export = await client.get("/api/users/me/export", headers=headers)
    assert export.status_code == 200, export.text
    sessions = export.json()["identitySessions"]
    assert [s["id"] for s in sessions] == [session_id]
    assert "I love chill lo-fi beats for studying" in str(sessions[0])
