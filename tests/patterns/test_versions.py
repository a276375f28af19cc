"""Refining a pattern in words, its versions, and restoring one."""

from __future__ import annotations

import asyncio
import base64

import httpx

from notalabel.container import Container
from notalabel.patterns.events import PatternRefined
from tests.patterns.factories import create, hand_written, url
from tests.social.helpers import recorder, walk
from tests.users.factories import make_artist


async def refine(
    client: httpx.AsyncClient, pattern_id: str, feedback: str, headers: dict[str, str]
) -> httpx.Response:
    """POST /api/patterns/{id}/refine."""
    return await client.post(
        url(pattern_id, "refine"), json={"feedback": feedback}, headers=headers
    )


async def test_refining_keeps_a_new_version_that_does_what_the_words_say(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Refiner")
    seen = recorder(container, PatternRefined)
    pattern = await create(client, artist, description="chill lo-fi beats for studying")
    faster = await refine(client, pattern["id"], "a bit faster", artist.headers)
    assert faster.status_code == 200, faster.text
    body = faster.json()
    assert body["pattern"]["bpm"] > pattern["bpm"]
    assert body["pattern"]["version"] == 2
    assert body["pattern"]["code"] != pattern["code"]
    assert f"setcpm({body['pattern']['bpm']}/4)" in body["pattern"]["code"]
    assert "tempo" in body["message"]
    slower = await refine(client, pattern["id"], "slower please", artist.headers)
    assert slower.json()["pattern"]["bpm"] < body["pattern"]["bpm"]
    styled = await refine(client, pattern["id"], "make it more like jazz", artist.headers)
    assert styled.json()["pattern"]["genre"] == "jazz"
    assert styled.json()["pattern"]["version"] == 4
    versions = await client.get(url(pattern["id"], "versions"))
    items = versions.json()["items"]
    assert [(v["number"], v["change"], v["current"]) for v in items] == [
        (4, "make it more like jazz", True),
        (3, "slower please", False),
        (2, "a bit faster", False),
        (1, "created", False),
    ]
    assert items[-1]["code"] == pattern["code"]
    assert items[2]["code"] == body["pattern"]["code"]
    assert [(e.version, e.feedback) for e in seen if isinstance(e, PatternRefined)] == [
        (2, "a bit faster"),
        (3, "slower please"),
        (4, "make it more like jazz"),
    ]


async def test_hand_written_code_cannot_be_refined(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "ByHand")
    pattern = await hand_written(client, artist)
    response = await refine(client, pattern["id"], "more bass", artist.headers)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "not_refinable",
        "message": "This pattern was written by hand, so there is no model to refine; "
        "edit its code instead.",
        "details": None,
    }


async def test_words_the_engine_does_not_understand_store_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Mumbler")
    seen = recorder(container, PatternRefined)
    pattern = await create(client, artist)
    for words in ("hmm, the weather is nice", "love it!"):
        response = await refine(client, pattern["id"], words, artist.headers)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "feedback_not_understood"
        assert "more bass" in error["message"]
    after = (await client.get(url(pattern["id"]))).json()
    assert (after["version"], after["code"]) == (1, pattern["code"])
    versions = await client.get(url(pattern["id"], "versions"))
    assert len(versions.json()["items"]) == 1
    assert seen == []


async def test_only_the_creator_refines_or_restores(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Keeper")
    other = await make_artist(container, "Meddler")
    public = await create(client, owner)
    private = await create(client, owner, isPublic=False)
    assert (await refine(client, public["id"], "faster", other.headers)).status_code == 403
    assert (await refine(client, private["id"], "faster", other.headers)).status_code == 404
    restore = url(public["id"], "versions/1/restore")
    assert (await client.post(restore, headers=other.headers)).status_code == 403
    hidden = url(private["id"], "versions")
    assert (await client.get(hidden, headers=other.headers)).status_code == 404
    assert (await client.get(hidden, headers=owner.headers)).status_code == 200
    assert (await client.get(url(public["id"]))).json()["version"] == 1


async def test_restoring_makes_a_new_version_and_rewrites_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Restorer")
    pattern = await create(client, artist, description="deep house for dancing")
    await refine(client, pattern["id"], "more bass", artist.headers)
    await refine(client, pattern["id"], "try a different style", artist.headers)
    restored = await client.post(url(pattern["id"], "versions/1/restore"), headers=artist.headers)
    assert restored.status_code == 200, restored.text
    body = restored.json()["pattern"]
    assert (body["version"], body["code"], body["bpm"]) == (4, pattern["code"], pattern["bpm"])
    assert (body["genre"], body["mood"]) == (pattern["genre"], pattern["mood"])
    pages = await walk(client, url(pattern["id"], "versions"), 1)
    items = [v for page in pages for v in page]
    assert [(v["number"], v["change"]) for v in items] == [
        (4, "restored 1"),
        (3, "try a different style"),
        (2, "more bass"),
        (1, "created"),
    ]
    assert items[0]["code"] == items[3]["code"]
    # refining goes on from the restored state
    again = await refine(client, pattern["id"], "faster", artist.headers)
    assert again.json()["pattern"]["version"] == 5
    assert again.json()["pattern"]["genre"] == pattern["genre"]
    missing = await client.post(url(pattern["id"], "versions/9/restore"), headers=artist.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "version_not_found"
    bad = await client.get(url(pattern["id"], "versions"), params={"cursor": "!!"})
    assert bad.status_code == 422


async def test_restoring_hand_written_code(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Rewinder")
    pattern = await hand_written(client, artist)
    await client.patch(url(pattern["id"]), json={"code": 's("hh*8")'}, headers=artist.headers)
    restored = await client.post(url(pattern["id"], "versions/1/restore"), headers=artist.headers)
    assert restored.status_code == 200
    assert restored.json()["pattern"]["code"] == pattern["code"]
    assert restored.json()["pattern"]["version"] == 3


async def test_the_export_holds_every_version(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Archivist")
    pattern = await create(client, artist)
    await refine(client, pattern["id"], "darker", artist.headers)
    exported = await client.get("/api/users/me/export", headers=artist.headers)
    assert exported.status_code == 200
    body = exported.json()
    assert [p["id"] for p in body["patterns"]] == [pattern["id"]]
    versions = body["patternVersions"]
    assert [(v["patternId"], v["number"], v["change"]) for v in versions] == [
        (pattern["id"], 1, "created"),
        (pattern["id"], 2, "darker"),
    ]
    assert versions[0]["strudelCode"] == pattern["code"]


async def test_refinements_at_the_same_moment_each_get_their_own_version(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Hurried")
    pattern = await create(client, artist)
    words = ["faster", "more bass", "darker", "add a melody", "simpler"]
    answers = await asyncio.gather(
        *(refine(client, pattern["id"], w, artist.headers) for w in words)
    )
    assert [a.status_code for a in answers] == [200] * 5
    versions = (await client.get(url(pattern["id"], "versions"))).json()["items"]
    assert [v["number"] for v in versions] == [6, 5, 4, 3, 2, 1]
    assert sorted(v["change"] for v in versions[:5]) == sorted(words)
    assert (await client.get(url(pattern["id"]))).json()["version"] == 6


async def test_version_cursors_out_of_range_are_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Cursory")
    pattern = await create(client, artist)
    path = url(pattern["id"], "versions")
    for raw in ("v" + "9" * 30, "v-1", "x1", "v"):
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        response = await client.get(path, params={"cursor": cursor})
        assert response.status_code == 422, raw
