"""Choosing another signature pattern."""

from __future__ import annotations

import asyncio

import httpx

from notalabel.container import Container
from notalabel.patterns.events import SignaturePatternChanged
from tests.identity.factories import onboard
from tests.patterns.factories import create, hand_written, url
from tests.social.helpers import recorder
from tests.users.factories import Artist, make_artist

SIGNATURE = "/api/users/me/signature"


async def onboarded(client: httpx.AsyncClient, container: Container, name: str) -> Artist:
    """An artist made by the real onboarding, whose signature is a patterns row."""
    done = await onboard(client, name)
    user = await container.users.get(done["user"]["id"])
    return Artist(user, done["token"], done["refreshToken"])


async def test_choosing_another_signature(client: httpx.AsyncClient, container: Container) -> None:
    artist = await onboarded(client, container, "Switcher")
    seen = recorder(container, SignaturePatternChanged)
    first = (await client.get("/api/users/switcher")).json()["signaturePattern"]
    chosen = await create(client, artist, description="dark techno for the gym")
    response = await client.put(SIGNATURE, json={"patternId": chosen["id"]}, headers=artist.headers)
    assert response.status_code == 200, response.text
    assert response.json()["isSignature"] is True
    assert (await client.get(url(first["id"]))).json()["isSignature"] is False
    profile = (await client.get("/api/users/switcher")).json()["signaturePattern"]
    assert profile["id"] == chosen["id"]
    assert profile["strudelCode"] == chosen["code"]
    assert (profile["genre"], profile["mood"], profile["bpm"]) == (
        chosen["genre"],
        chosen["mood"],
        chosen["bpm"],
    )
    assert profile["shareUrl"] == chosen["shareUrl"]
    assert seen == [
        SignaturePatternChanged(
            user_id=artist.user.id,
            pattern_id=chosen["id"],
            previous_pattern_id=first["id"],
            genre=chosen["genre"],
            mood=chosen["mood"],
            occurred_at=seen[0].occurred_at,
        )
    ]
    again = await client.put(SIGNATURE, json={"patternId": chosen["id"]}, headers=artist.headers)
    assert again.status_code == 200
    assert len(seen) == 1  # nothing changed, nothing announced
    library = (await client.get("/api/users/me/patterns", headers=artist.headers)).json()
    assert sum(p["isSignature"] for p in library["items"]) == 1


async def test_only_your_own_public_pattern_can_be_your_signature(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await onboarded(client, container, "Picky")
    other = await make_artist(container, "Stranger")
    theirs = await hand_written(client, other)
    refused = await client.put(SIGNATURE, json={"patternId": theirs["id"]}, headers=artist.headers)
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "pattern_not_found"
    private = await hand_written(client, artist, isPublic=False)
    hidden = await client.put(SIGNATURE, json={"patternId": private["id"]}, headers=artist.headers)
    assert hidden.status_code == 409
    assert "public" in hidden.json()["error"]["message"]
    assert (await client.put(SIGNATURE, json={"patternId": private["id"]})).status_code == 401


async def test_the_signature_cannot_be_deleted_or_made_private(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await onboarded(client, container, "Holder")
    signature_id = (await client.get("/api/users/holder")).json()["signaturePattern"]["id"]
    refused = await client.delete(url(signature_id), headers=artist.headers)
    assert refused.status_code == 409
    assert "choose another signature first" in refused.json()["error"]["message"]
    private = await client.patch(
        url(signature_id), json={"isPublic": False}, headers=artist.headers
    )
    assert private.status_code == 409
    other = await hand_written(client, artist)
    await client.put(SIGNATURE, json={"patternId": other["id"]}, headers=artist.headers)
    assert (await client.delete(url(signature_id), headers=artist.headers)).status_code == 204


async def test_refining_the_signature_updates_the_profile(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await onboarded(client, container, "Evolving")
    before = (await client.get("/api/users/evolving")).json()["signaturePattern"]
    refined = await client.post(
        url(before["id"], "refine"), json={"feedback": "faster"}, headers=artist.headers
    )
    assert refined.status_code == 200, refined.text
    after = (await client.get("/api/users/evolving")).json()["signaturePattern"]
    assert after["id"] == before["id"]
    assert after["bpm"] == refined.json()["pattern"]["bpm"] > before["bpm"]
    assert after["strudelCode"] == refined.json()["pattern"]["code"]


async def test_two_signature_changes_at_once_leave_exactly_one(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await onboarded(client, container, "Torn")
    choices = [await hand_written(client, artist, title=f"c{i}") for i in range(4)]
    answers = await asyncio.gather(
        *(
            client.put(SIGNATURE, json={"patternId": c["id"]}, headers=artist.headers)
            for c in choices
        )
    )
    assert [a.status_code for a in answers] == [200] * 4
    library = (await client.get("/api/users/me/patterns", headers=artist.headers)).json()
    flagged = [p["id"] for p in library["items"] if p["isSignature"]]
    assert len(flagged) == 1
    profile = (await client.get("/api/users/torn")).json()["signaturePattern"]
    assert profile["id"] == flagged[0]
