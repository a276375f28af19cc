"""The onboarding conversation over HTTP, end to end."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from notalabel.container import Container
from notalabel.patterns.models import Pattern
from tests.identity.factories import FINALIZE, PROCESS, onboard, say, session_at_confirmation, start


async def test_whole_flow_creates_a_signed_in_artist(client: httpx.AsyncClient) -> None:
    session_id = await start(client)

    found = await say(client, session_id, "I love chill lo-fi beats for studying")
    assert found["success"] is True
    assert (found["step"], found["nextStep"]) == ("discovery", "refinement")
    assert found["musicDNA"]["primaryGenre"] == "lo-fi"
    assert found["pattern"]["genre"] == "lo-fi"
    assert "stack(" in found["pattern"]["code"]
    assert found["pattern"]["shareUrl"].startswith("https://strudel.cc/#")

    dreamy = await say(client, session_id, "make it more dreamy")
    assert dreamy["nextStep"] == "refinement"
    assert dreamy["pattern"]["code"] != found["pattern"]["code"]

    accepted = await say(client, session_id, "love it!")
    assert accepted["nextStep"] == "naming"
    assert accepted["prompt"] == "What should I call you in our creative community?"

    named = await say(client, session_id, "DreamyBeats")
    assert (named["success"], named["nextStep"], named["artistName"]) == (
        True,
        "confirmation",
        "DreamyBeats",
    )

    done = await say(client, session_id, "yes")
    assert done["nextStep"] == "completed"
    assert done["user"]["artistName"] == "DreamyBeats"
    signature = done["signaturePattern"]
    assert signature["strudelCode"] == dreamy["pattern"]["code"]
    assert signature["id"].startswith("pat_")

    me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {done['token']}"})
    assert me.status_code == 200, me.text
    profile = me.json()
    assert profile["artistName"] == "DreamyBeats"
    assert profile["achievements"] == ["first_beat", "musical_identity_created"]
    assert profile["bio"] == f"Creating lo-fi beats with {signature['mood']} vibes"
    assert profile["counts"] == {
        "followers": 0,
        "following": 0,
        "patterns": 1,
        "likesReceived": 0,
        "plays": 0,
    }
    assert [d["loginMethod"] for d in profile["devices"]] == ["musical_identity"]
    assert profile["devices"][0]["current"] is True
    assert done["user"]["id"] == profile["id"]
    assert profile["signaturePattern"]["id"] == signature["id"]
    assert profile["loginMethod"] == "musical_identity"
    assert done["refreshToken"]


async def test_every_input_and_pattern_is_recorded(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    await say(client, session_id, "dark techno for the gym")
    await say(client, session_id, "faster and more bass")
    await say(client, session_id, "hmm")
    session = (await client.get(f"/api/auth/musical-identity/session/{session_id}")).json()
    assert [r["input"] for r in session["responses"]] == [
        "dark techno for the gym",
        "faster and more bass",
        "hmm",
    ]
    assert session["responses"][1]["processedData"]["adjustments"] == ["faster", "more_bass"]
    assert len(session["patterns"]) == 2
    assert session["patterns"][1]["bpm"] > session["patterns"][0]["bpm"]
    assert session["step"] == "refinement"
    assert session["lastPattern"] == session["patterns"][-1]


async def test_try_a_different_style_gives_a_new_genre(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    first = await say(client, session_id, "chill lofi")
    other = await say(client, session_id, "make it more like house")
    assert first["pattern"]["genre"] == "lo-fi"
    assert other["pattern"]["genre"] == "house"
    another = await say(client, session_id, "try a different style")
    assert another["pattern"]["genre"] != "house"


async def test_unclear_feedback_keeps_the_pattern(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    await say(client, session_id, "trap")
    unclear = await say(client, session_id, "banana")
    assert unclear["success"] is False
    assert unclear["nextStep"] == "refinement"
    assert unclear.get("pattern") is None


async def test_no_at_confirmation_goes_back_to_naming(client: httpx.AsyncClient) -> None:
    session_id = await session_at_confirmation(client, "FirstChoice")
    back = await say(client, session_id, "no")
    assert back["nextStep"] == "naming"
    renamed = await say(client, session_id, "call me SecondChoice")
    assert renamed["artistName"] == "SecondChoice"


async def test_finalize_route_creates_the_account(client: httpx.AsyncClient) -> None:
    session_id = await session_at_confirmation(client, "Finalizer")
    response = await client.post(FINALIZE, json={"sessionId": session_id})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["artistName"] == "Finalizer"
    assert body["token"]
    assert body["refreshToken"]
    again = await client.post(FINALIZE, json={"sessionId": session_id})
    assert again.status_code == 410
    assert again.json()["error"]["code"] == "session_completed"


async def test_older_paths_are_aliases(client: httpx.AsyncClient) -> None:
    started = await client.post("/api/auth/start-musical-identity")
    assert started.status_code == 201
    session_id = started.json()["sessionId"]
    step = await client.post(
        "/api/auth/process-identity-step", json={"sessionId": session_id, "input": "jazz"}
    )
    assert step.status_code == 200
    assert step.json()["pattern"]["genre"] == "jazz"


async def test_signature_pattern_is_the_first_library_pattern(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboard(client, "LibraryFirst")
    async with container.db.transaction() as tx:
        rows = (await tx.execute(select(Pattern))).scalars().all()
    assert len(rows) == 1
    assert rows[0].id == done["signaturePattern"]["id"]
    assert rows[0].creator_id == done["user"]["id"]
    assert rows[0].is_signature
    assert rows[0].strudel_code == done["signaturePattern"]["strudelCode"]


async def test_process_response_has_request_id(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    response = await client.post(
        PROCESS, json={"sessionId": session_id, "input": "pop"}, headers={"X-Request-ID": "abc-1"}
    )
    assert response.headers["x-request-id"] == "abc-1"


async def test_a_description_with_nothing_musical_gets_an_honest_first_guess(
    client: httpx.AsyncClient,
) -> None:
    for vague in ("hmm", "idk", "music"):
        session_id = await start(client)
        answer = await say(client, session_id, vague)
        assert answer["success"] is True
        assert answer["pattern"]["code"]  # a pattern is still offered
        assert answer["message"].startswith("🎵 Here's a first guess")
        assert "Perfect" not in answer["message"]
        assert "genre, a mood or where you listen" in answer["message"]
    described = await say(client, await start(client), "dreamy ambient for sleeping")
    assert described["message"].startswith("🎵 Perfect!")
