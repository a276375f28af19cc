"""Onboarding's discovery step names the artists who sound most like the description."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from tests.community.test_api import artist, dna

START = "/api/auth/musical-identity/start"
PROCESS = "/api/auth/musical-identity/process"


async def describe(client: httpx.AsyncClient, text: str) -> dict[str, object]:
    """Start a session and answer its first question."""
    started = await client.post(START)
    assert started.status_code == 201, started.text
    answer = await client.post(
        PROCESS, json={"sessionId": started.json()["sessionId"], "input": text}
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


async def test_the_discovery_answer_lists_the_three_closest_artists(
    client: httpx.AsyncClient, container: Container
) -> None:
    await artist(container, "Rain Room", dna("lo-fi", "chill", 3, 3, ["rain", "vinyl"]))
    await artist(container, "Study Hall", dna("lo-fi", "study", 3, 4, ["vinyl"]))
    await artist(container, "Late Jazz", dna("jazz", "chill", 3, 5))
    await artist(container, "Drill Yard", dna("drill", "aggressive", 10, 8))
    await artist(container, "Techno Hall", dna("techno", "dark", 9, 7))

    body = await describe(client, "chill lo-fi beats with rain and vinyl crackle, slow and mellow")

    similar = body["similarArtists"]
    assert isinstance(similar, list)
    assert [s["artistName"] for s in similar] == ["Rain Room", "Study Hall", "Late Jazz"]
    first = similar[0]
    assert set(first) == {
        "id", "artistName", "primaryGenre", "preferredMood", "similarity", "reasons",
    }  # fmt: skip
    assert first["reasons"][0] == "Both love lo-fi music"
    assert first["similarity"] >= similar[1]["similarity"] >= similar[2]["similarity"]


async def test_with_nobody_to_compare_the_list_is_empty_and_later_steps_have_none(
    client: httpx.AsyncClient,
) -> None:
    body = await describe(client, "dark techno at night")
    assert body["similarArtists"] == []


async def test_a_failing_matcher_does_not_stop_the_onboarding(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("index gone")

    monkeypatch.setattr(container.identity, "_similar_artists", broken)
    body = await describe(client, "dark techno at night")
    assert body["similarArtists"] is None
    assert body["pattern"]
