"""`POST /api/generate-music`, as the terminal client calls it."""

from __future__ import annotations

import httpx
import pytest

URL = "/api/generate-music"


async def test_terminal_client_request(client: httpx.AsyncClient) -> None:
    response = await client.post(
        URL,
        json={
            "userInput": "something to focus",
            "musicDNA": {
                "primaryGenre": "house",
                "preferredMood": "energetic",
                "energyLevel": 8,
                "complexity": 4,
            },
            "context": {"timeOfDay": "night", "activity": "coding"},
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert "stack(" in body["code"]
    assert body["description"]
    meta = body["metadata"]
    assert (meta["genre"], meta["mood"], meta["energyLevel"], meta["complexity"]) == (
        "house",
        "energetic",
        8,
        4,
    )
    assert isinstance(meta["bpm"], int)
    assert meta["key"]


async def test_text_only_and_deterministic(client: httpx.AsyncClient) -> None:
    payload = {"userInput": "dark drill with sliding 808s"}
    first = (await client.post(URL, json=payload)).json()
    second = (await client.post(URL, json=payload)).json()
    assert first["metadata"]["genre"] == "drill"
    assert first["code"] == second["code"]


async def test_seed_changes_the_variation(client: httpx.AsyncClient) -> None:
    codes = set()
    for seed in range(4):
        body = (await client.post(URL, json={"userInput": "trap", "seed": seed})).json()
        codes.add(body["code"])
    assert len(codes) > 1


async def test_genre_synonyms_are_accepted(client: httpx.AsyncClient) -> None:
    response = await client.post(URL, json={"musicDNA": {"primaryGenre": "lofi"}})
    assert response.status_code == 200, response.text
    assert response.json()["metadata"]["genre"] == "lo-fi"


async def test_context_sets_the_mood_when_none_is_given(client: httpx.AsyncClient) -> None:
    response = await client.post(
        URL, json={"userInput": "lofi", "context": {"activity": "studying for exams"}}
    )
    assert response.json()["metadata"]["mood"] == "study"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "userInput"),
        ({"userInput": "x" * 2001}, "userInput"),
        ({"musicDNA": {"primaryGenre": "polka-core-9000"}}, "musicDNA.primaryGenre"),
        ({"musicDNA": {"preferredMood": "qwzx"}}, "musicDNA.preferredMood"),
        ({"userInput": "lofi", "musicDNA": {"energyLevel": 11}}, "musicDNA.energyLevel"),
        ({"userInput": "lofi", "musicDNA": {"complexity": "high"}}, "musicDNA.complexity"),
        ({"userInput": "lofi", "seed": -1}, "seed"),
    ],
)
async def test_bad_input_is_422_with_the_field(
    client: httpx.AsyncClient, payload: dict[str, object], field: str
) -> None:
    response = await client.post(URL, json=payload)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] in {"validation_error", "invalid_input"}
    assert any(d["field"] == field for d in error["details"]), error
