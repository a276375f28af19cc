"""The length bounds of artist names (2 to 32), by rule and over HTTP."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from notalabel.identity.naming import name_problem
from tests.identity.factories import say, start
from tests.users.factories import make_artist

LONGEST = "Abcdefghij" * 3 + "Kl"  # 32 characters
TOO_LONG = LONGEST + "m"


def test_the_bounds_are_32_and_33() -> None:
    assert len(LONGEST) == 32
    assert len(TOO_LONG) == 33


@pytest.mark.parametrize("name", ["ab", "Z9", LONGEST, "DJ " + "x" * 29])
def test_names_within_the_bounds_are_valid(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["a", "", TOO_LONG, "DJ " + "x" * 30])
def test_names_outside_the_bounds_are_invalid_length(name: str) -> None:
    problem = name_problem(name)
    assert problem is not None
    assert problem.code == "invalid_length"
    assert "32" in problem.message


async def test_rename_accepts_32_characters_and_refuses_33(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ShortName")
    url = "/api/users/me/artist-name"
    too_long = await client.post(url, json={"artistName": TOO_LONG}, headers=artist.headers)
    assert too_long.status_code == 422, too_long.text
    assert too_long.json()["error"]["code"] == "invalid_artist_name"
    longest = await client.post(url, json={"artistName": LONGEST}, headers=artist.headers)
    assert longest.status_code == 200, longest.text
    assert longest.json()["artistName"] == LONGEST


async def test_onboarding_accepts_32_characters_and_refuses_33(client: httpx.AsyncClient) -> None:
    session_id = await start(client)
    await say(client, session_id, "I love chill lo-fi beats for studying")
    await say(client, session_id, "love it!")
    refused = await say(client, session_id, f"call me {TOO_LONG}")
    assert refused["success"] is False
    assert refused["nextStep"] == "naming"
    accepted = await say(client, session_id, f"call me {LONGEST}")
    assert accepted["nextStep"] == "confirmation", accepted
    assert accepted["artistName"] == LONGEST
