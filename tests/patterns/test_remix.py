"""POST /api/patterns/{id}/remix and GET /api/patterns/{id}/remixes."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from notalabel.container import Container
from notalabel.patterns.events import PatternCreated, PatternRemixed
from tests.patterns.remix_factories import (
    HAND_WRITTEN,
    model_of,
    pattern_count,
    read,
    remix,
    remix_url,
    store,
)
from tests.social.helpers import recorder
from tests.users.factories import make_artist


async def test_variation_in_words_refines_the_original_model(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Original Maker")
    fan = await make_artist(container, "Remix Fan")
    original = await store(container, maker.user.id, title="Night Drive")
    seen = recorder(container, PatternCreated, PatternRemixed)

    response = await remix(client, fan, original["id"], remixType="variation", feedback="faster")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["creator"] == {"id": fan.user.id, "artistName": "Remix Fan"}
    assert body["title"] == "Remix of Night Drive"
    assert body["originalPatternId"] == original["id"]
    assert body["remixType"] == "variation"
    assert body["aiGenerated"] is True
    assert body["refinable"] is True
    assert body["prompt"] == "faster"
    assert body["bpm"] > original["bpm"]
    assert body["code"] != original["strudel_code"]
    assert "tempo" in body["message"]
    assert (body["version"], body["remixes"]) == (1, 0)
    stored = await read(container, body["id"])
    assert stored is not None
    assert model_of(stored).settings.tempo_shift == model_of(original).settings.tempo_shift + 1
    assert (await read(container, original["id"]) or {})["remixes"] == 1
    created, remixed = seen
    assert isinstance(created, PatternCreated)
    assert isinstance(remixed, PatternRemixed)
    assert created.pattern_id == body["id"]
    assert created.creator_id == fan.user.id
    assert created.original_pattern_id == original["id"]
    assert created.ai_generated
    assert remixed == PatternRemixed(
        remix_id=body["id"],
        original_id=original["id"],
        original_creator_id=maker.user.id,
        remixer_id=fan.user.id,
        remix_type="variation",
        occurred_at=remixed.occurred_at,
    )


async def test_remix_with_code_is_hand_written(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Code Maker")
    fan = await make_artist(container, "Code Fan")
    original = await store(container, maker.user.id)
    code = 'note("c3 eb3 g3").s("sawtooth")'

    response = await remix(
        client, fan, original["id"], remixType="extension", code=code, title="  My take  "
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"] == code
    assert body["title"] == "My take"
    assert (body["aiGenerated"], body["refinable"]) == (False, False)
    assert (body["prompt"], body["message"]) == (None, None)
    assert (body["genre"], body["mood"]) == (original["genre"], original["mood"])
    assert body["remixType"] == "extension"
    assert body["shareUrl"].startswith("https://strudel.cc/#")


async def test_code_limit_is_20_kb(client: httpx.AsyncClient, container: Container) -> None:
    maker = await make_artist(container, "Limit Maker")
    original = await store(container, maker.user.id)
    head = "// é\n"
    at_limit = head + "x" * (20_480 - len(head.encode()) - len(HAND_WRITTEN)) + HAND_WRITTEN
    assert len(at_limit.encode()) == 20_480

    fits = await remix(client, maker, original["id"], remixType="variation", code=at_limit)
    too_big = await remix(client, maker, original["id"], remixType="variation", code=at_limit + "x")

    assert fits.status_code == 201, fits.text
    assert too_big.status_code == 422


async def test_feedback_on_hand_written_original_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Hand Maker")
    fan = await make_artist(container, "Hand Fan")
    original = await store(container, maker.user.id, code=HAND_WRITTEN)
    before = await pattern_count(container)

    response = await remix(client, fan, original["id"], remixType="variation", feedback="darker")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_refinable"
    assert "written by hand" in error["message"]
    assert await pattern_count(container) == before
    assert (await read(container, original["id"]) or {})["remixes"] == 0


@pytest.mark.parametrize("feedback", ["the weather is nice today", "love it"])
async def test_variation_needs_a_change_the_engine_understands(
    client: httpx.AsyncClient, container: Container, feedback: str
) -> None:
    maker = await make_artist(container, "Words Maker")
    original = await store(container, maker.user.id)
    before = await pattern_count(container)

    response = await remix(client, maker, original["id"], remixType="variation", feedback=feedback)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "feedback_not_understood"
    assert await pattern_count(container) == before


@pytest.mark.parametrize(
    "body",
    [
        {"remixType": "mashup", "feedback": "darker"},
        {"remixType": "variation", "feedback": "darker", "secondPatternId": "pat_x"},
        {"remixType": "extension", "feedback": "darker", "code": HAND_WRITTEN},
        {"remixType": "variation"},
        {"remixType": "remaster", "feedback": "darker"},
        {"remixType": "variation", "feedback": "   "},
        {"remixType": "variation", "code": 's("bd")\x00'},
    ],
)
async def test_invalid_bodies(
    client: httpx.AsyncClient, container: Container, body: dict[str, Any]
) -> None:
    maker = await make_artist(container, "Body Maker")
    original = await store(container, maker.user.id)

    response = await remix(client, maker, original["id"], **body)

    assert response.status_code == 422, response.text


async def test_mashup_blends_the_second_source_into_the_original(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Mash Maker")
    other = await make_artist(container, "Mash Other")
    fan = await make_artist(container, "Mash Fan")
    first = await store(container, maker.user.id, describe="chill lo-fi beats", title="Lo")
    second = await store(
        container, other.user.id, describe="dark aggressive trap with 808 and piano", title="Tr"
    )
    assert first["mood"] != second["mood"]
    seen = recorder(container, PatternRemixed)

    response = await remix(
        client,
        fan,
        first["id"],
        remixType="mashup",
        secondPatternId=second["id"],
        feedback="love it, just blend them",
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["genre"], body["mood"]) == (first["genre"], second["mood"])
    settings = model_of(await read(container, body["id"]) or {}).settings
    assert set(model_of(second).settings.keywords) <= set(settings.keywords)
    assert "'Tr'" in body["message"]
    assert body["originalPatternId"] == first["id"]
    assert [e.second_source_id for e in seen if isinstance(e, PatternRemixed)] == [second["id"]]
    counts = [(await read(container, p["id"]) or {})["remixes"] for p in (first, second)]
    assert counts == [1, 0]


async def test_mashup_with_a_hand_written_second_takes_its_mood(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Hand Mash")
    first = await store(container, maker.user.id, describe="chill lo-fi beats")
    second = await store(container, maker.user.id, code=HAND_WRITTEN, mood="melancholic")

    body = {"remixType": "mashup", "secondPatternId": second["id"], "feedback": "darker"}

    response = await remix(client, maker, first["id"], **body)

    assert response.status_code == 201, response.text
    assert response.json()["mood"] == "melancholic"


async def test_mashup_sources_must_be_visible_remixable_and_two(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Source Maker")
    fan = await make_artist(container, "Source Fan")
    first = await store(container, maker.user.id)
    private = await store(container, maker.user.id, is_public=False)
    locked = await store(container, maker.user.id, is_remixable=False)

    answers = []
    for second in (private, locked, first):
        body = {"remixType": "mashup", "secondPatternId": second["id"], "feedback": "darker"}
        response = await remix(client, fan, first["id"], **body)
        answers.append((response.status_code, response.json()["error"]["code"]))

    assert answers == [(404, "pattern_not_found"), (403, "not_remixable"), (422, "same_source")]
    assert (await read(container, first["id"]) or {})["remixes"] == 0


async def test_extension_of_an_own_private_pattern_adds_a_part(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Ext Maker")
    original = await store(
        container, maker.user.id, describe="minimal ambient drone, simple", is_public=False
    )
    before = model_of(original)

    response = await remix(client, maker, original["id"], remixType="extension", feedback="darker")

    assert response.status_code == 201, response.text
    after = model_of(await read(container, response.json()["id"]) or {})
    assert after.settings.melody == before.settings.melody + 1
    assert after.settings.brightness == before.settings.brightness - 1
    assert len(after.layers) > len(before.layers)
    assert "melody" in response.json()["message"]
    assert response.json()["creator"]["id"] == maker.user.id


async def test_not_remixable_is_403_even_for_its_creator(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Locked Maker")
    fan = await make_artist(container, "Locked Fan")
    locked = await store(container, maker.user.id, is_remixable=False)

    for artist in (fan, maker):
        response = await remix(client, artist, locked["id"], remixType="variation", code='s("bd")')
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_remixable"


async def test_invisible_originals_are_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Hidden Maker")
    fan = await make_artist(container, "Hidden Fan")
    private = await store(container, maker.user.id, is_public=False)
    public = await store(container, maker.user.id)
    code = {"remixType": "variation", "code": HAND_WRITTEN}

    assert (await remix(client, fan, private["id"], **code)).status_code == 404
    assert (await remix(client, fan, "pat_missing", **code)).status_code == 404
    anonymous = await client.post(remix_url(public["id"]), json=code)
    assert anonymous.status_code == 401
    blocked = await client.post(f"/api/users/{fan.user.id}/block", headers=maker.headers)
    assert blocked.status_code == 200
    response = await remix(client, fan, public["id"], **code)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "pattern_not_found")
    # the blocker can't remix the blocked artist's patterns either
    theirs = await store(container, fan.user.id)
    assert (await remix(client, maker, theirs["id"], **code)).status_code == 404


async def test_concurrent_remixes_count_exactly(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Busy Maker")
    fans = [await make_artist(container, f"Busy Fan {n}") for n in range(8)]
    original = await store(container, maker.user.id)

    responses = await asyncio.gather(
        *(
            remix(client, fan, original["id"], remixType="variation", feedback="faster")
            for fan in fans
        )
    )

    assert [r.status_code for r in responses] == [201] * 8
    assert (await read(container, original["id"]) or {})["remixes"] == 8
