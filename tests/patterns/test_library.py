"""Saving, reading, editing and deleting patterns, and a creator's library."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from notalabel.container import Container
from notalabel.engine.pattern import share_url
from notalabel.patterns.events import PatternCreated
from notalabel.patterns.models import Pattern
from tests.patterns.factories import HAND_CODE, PATTERNS, create, hand_written, insert_row, url
from tests.social.helpers import recorder, walk
from tests.users.factories import make_artist


async def test_an_engine_pattern_keeps_its_model_prompt_and_metadata(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Maker")
    seen = recorder(container, PatternCreated)
    body = await create(
        client,
        artist,
        description="dark techno for the gym",
        tags=["Gym", "night drive"],
        difficulty=7,
        timeSignature="4/4",
        isRemixable=False,
    )
    assert body["genre"] == "techno"
    assert body["aiGenerated"] is True
    assert body["refinable"] is True
    assert body["prompt"] == "dark techno for the gym"
    assert body["title"] == f"{body['mood'].capitalize()} techno"
    assert body["tags"] == ["gym", "night-drive"]
    assert (body["difficulty"], body["isRemixable"], body["isPublic"]) == (7, False, True)
    assert body["creator"] == {"id": artist.user.id, "artistName": "Maker"}
    assert body["shareUrl"] == share_url(body["code"])
    assert body["version"] == 1
    assert [body[k] for k in ("likes", "plays", "shares", "comments", "remixes")] == [0] * 5
    assert body["originalPatternId"] is None
    assert body["remixType"] is None
    assert "setcpm(" in body["code"]
    async with container.db.transaction() as tx:
        row = await tx.scalar(select(Pattern).where(Pattern.id == body["id"]))
    assert row is not None
    assert row.model is not None
    assert row.bpm == body["bpm"]
    assert seen == [
        PatternCreated(
            pattern_id=body["id"],
            creator_id=artist.user.id,
            genre="techno",
            mood=body["mood"],
            is_public=True,
            ai_generated=True,
            occurred_at=seen[0].occurred_at,
        )
    ]
    again = await client.get(url(body["id"]))
    assert again.status_code == 200
    assert again.json() == body


async def test_music_dna_alone_steers_the_engine(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "DnaOnly")
    body = await create(
        client,
        artist,
        musicDNA={"primaryGenre": "house", "preferredMood": "dark", "energyLevel": 9},
        seed=7,
    )
    assert (body["genre"], body["mood"]) == ("house", "dark")
    assert body["prompt"] is None
    assert body["description"]  # the engine's own words when none were given
    same = await create(
        client,
        artist,
        musicDNA={"primaryGenre": "house", "preferredMood": "dark", "energyLevel": 9},
        seed=7,
    )
    assert same["code"] == body["code"]


async def test_hand_written_code_is_stored_as_written(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Typist")
    body = await hand_written(client, artist, description="  my groove  ")
    assert body["code"] == HAND_CODE
    assert body["aiGenerated"] is False
    assert body["refinable"] is False
    assert body["prompt"] is None
    assert body["description"] == "my groove"
    assert body["bpm"] == 80  # the middle of lo-fi's 70 to 90
    assert body["key"] is None
    explicit = await hand_written(client, artist, genre="techno", bpm=132, key="A minor")
    assert (explicit["genre"], explicit["bpm"], explicit["key"]) == ("techno", 132, "A minor")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("a" * 20480, 201),
        ("a" * 20481, 422),
        ("€" * 6826 + "ab", 201),  # 20,480 bytes in 6,828 characters
        ("€" * 6826 + "abc", 422),
        ("   \n ", 422),
    ],
)
async def test_code_is_limited_to_20_kilobytes_of_utf8(
    client: httpx.AsyncClient, container: Container, code: str, status: int
) -> None:
    artist = await make_artist(container, "Sizer")
    body = {"code": code, "genre": "lo-fi", "mood": "chill"}
    response = await client.post(PATTERNS, json=body, headers=artist.headers)
    assert response.status_code == status, response.text
    if status == 201:
        assert response.json()["code"] == code


async def test_tags_are_normalised(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Tagger")
    body = await hand_written(
        client, artist, tags=[" Lo  Fi ", "LO-FI", "ＣＨＩＬＬ", "night\u3000drive", "x" * 32]
    )
    assert body["tags"] == ["lo-fi", "chill", "night-drive", "x" * 32]


INVALID: list[dict[str, Any]] = [
    {"genre": "polka"},
    {"mood": "sleepy"},
    {"genre": "Lo-Fi"},
    {"title": "x" * 121},
    {"title": "two\nlines"},
    {"title": "   "},
    {"title": "bell\x07"},
    {"description": "nul\x00"},
    {"tags": [f"t{i}" for i in range(11)]},
    {"tags": ["x" * 33]},
    {"tags": ["   "]},
    {"tags": ["two\nlines"]},
    {"difficulty": 0},
    {"difficulty": 11},
    {"timeSignature": "4/5"},
    {"timeSignature": "0/4"},
    {"timeSignature": "four"},
    {"isPublic": "true"},
    {"bpm": 10},
    {"unknown": 1},
]


@pytest.mark.parametrize("change", INVALID)
async def test_invalid_metadata_is_refused(
    client: httpx.AsyncClient, container: Container, change: dict[str, Any]
) -> None:
    artist = await make_artist(container, "Strict")
    body = {"code": HAND_CODE, "genre": "lo-fi", "mood": "chill", **change}
    response = await client.post(PATTERNS, json=body, headers=artist.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": HAND_CODE, "genre": "lo-fi"},
        {"code": HAND_CODE, "mood": "chill"},
        {"code": HAND_CODE, "genre": "lo-fi", "mood": "chill", "seed": 1},
        {"description": "techno", "bpm": 120},
        {"description": "techno", "key": "C minor"},
        {"musicDNA": {"primaryGenre": "polka"}},
    ],
)
async def test_a_pattern_is_either_from_the_engine_or_by_hand(
    client: httpx.AsyncClient, container: Container, body: dict[str, Any]
) -> None:
    artist = await make_artist(container, "Either")
    response = await client.post(PATTERNS, json=body, headers=artist.headers)
    assert response.status_code == 422, response.text


async def test_other_time_signatures_and_titles_at_the_limit(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Odd")
    for signature in ("3/4", "6/8", "7/8", "5/16", "2/2"):
        body = await hand_written(client, artist, timeSignature=signature, title="t" * 120)
        assert (body["timeSignature"], body["title"]) == (signature, "t" * 120)
    anonymous = await client.post(PATTERNS, json={"description": "techno"})
    assert anonymous.status_code == 401


async def test_private_and_blocked_patterns_are_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Owner")
    other = await make_artist(container, "Other")
    private = await hand_written(client, owner, isPublic=False)
    public = await hand_written(client, owner)
    assert (await client.get(url(private["id"]), headers=owner.headers)).status_code == 200
    for headers in (other.headers, {}):
        hidden = await client.get(url(private["id"]), headers=headers)
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "pattern_not_found"
    assert (await client.get(url(public["id"]), headers=other.headers)).status_code == 200
    blocked = await client.post("/api/users/Owner/block", headers=other.headers)
    assert blocked.status_code == 200
    # a block either way hides: the blocker's patterns from the blocked, and the reverse
    theirs = await hand_written(client, other)
    assert (await client.get(url(public["id"]), headers=other.headers)).status_code == 404
    assert (await client.get(url(theirs["id"]), headers=owner.headers)).status_code == 404
    assert (await client.get(url(public["id"]))).status_code == 200
    assert (await client.get(url("pat_missing"))).status_code == 404


async def test_only_the_creator_may_edit(client: httpx.AsyncClient, container: Container) -> None:
    owner = await make_artist(container, "Editor")
    other = await make_artist(container, "Bystander")
    public = await hand_written(client, owner)
    private = await hand_written(client, owner, isPublic=False)
    change = {"title": "Mine now"}
    forbidden = await client.patch(url(public["id"]), json=change, headers=other.headers)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "not_creator"
    hidden = await client.patch(url(private["id"]), json=change, headers=other.headers)
    assert hidden.status_code == 404
    assert (await client.delete(url(public["id"]), headers=other.headers)).status_code == 403
    assert (await client.delete(url(private["id"]), headers=other.headers)).status_code == 404
    assert (await client.get(url(public["id"]))).json()["title"] == public["title"]


async def test_the_creator_edits_metadata_and_hand_written_code(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Reviser")
    pattern = await hand_written(client, artist)
    change = {
        "title": "  Night bus  ",
        "description": "for late rides",
        "tags": ["Night Bus", "night-bus"],
        "difficulty": 3,
        "timeSignature": "6/8",
        "isPublic": False,
        "isRemixable": False,
        "genre": "jazz",
        "mood": "melancholic",
        "bpm": 100,
        "key": "D dorian",
    }
    edited = await client.patch(url(pattern["id"]), json=change, headers=artist.headers)
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert body["title"] == "Night bus"
    assert body["tags"] == ["night-bus"]
    assert (body["timeSignature"], body["isPublic"], body["isRemixable"]) == ("6/8", False, False)
    assert (body["genre"], body["mood"], body["bpm"], body["key"]) == (
        "jazz",
        "melancholic",
        100,
        "D dorian",
    )
    assert body["version"] == 1  # metadata only: no new version
    assert body["code"] == HAND_CODE
    new_code = 's("bd*4").bank("RolandTR909")'
    recoded = await client.patch(
        url(pattern["id"]), json={"code": new_code}, headers=artist.headers
    )
    assert recoded.status_code == 200
    assert (recoded.json()["code"], recoded.json()["version"]) == (new_code, 2)
    assert recoded.json()["shareUrl"] == share_url(new_code)
    same = await client.patch(url(pattern["id"]), json={"code": new_code}, headers=artist.headers)
    assert same.json()["version"] == 2
    versions = await client.get(url(pattern["id"], "versions"), headers=artist.headers)
    assert [(v["number"], v["change"]) for v in versions.json()["items"]] == [
        (2, "edited"),
        (1, "created"),
    ]


@pytest.mark.parametrize(
    "change", [{"code": 's("bd")'}, {"genre": "jazz"}, {"bpm": 99}, {"key": "C major"}]
)
async def test_engine_patterns_change_their_music_through_refinement(
    client: httpx.AsyncClient, container: Container, change: dict[str, Any]
) -> None:
    artist = await make_artist(container, "EngineFan")
    pattern = await create(client, artist)
    response = await client.patch(url(pattern["id"]), json=change, headers=artist.headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "engine_owned_field"
    assert (await client.get(url(pattern["id"]))).json()["code"] == pattern["code"]


async def test_deleting_an_original_keeps_its_remixes_playing_unlinked(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Original")
    remixer = await make_artist(container, "Remixer")
    original = await create(client, owner)
    remix_id = await insert_row(
        container, remixer.user.id, original_pattern_id=original["id"], remix_type="variation"
    )
    deleted = await client.delete(url(original["id"]), headers=owner.headers)
    assert deleted.status_code == 204
    assert (await client.get(url(original["id"]), headers=owner.headers)).status_code == 404
    remix = await client.get(url(remix_id))
    assert remix.status_code == 200
    assert remix.json()["originalPatternId"] is None
    assert remix.json()["remixType"] == "variation"


async def test_deleting_a_remix_uncounts_it_on_the_original(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Source")
    remixer = await make_artist(container, "Deriver")
    original = await insert_row(container, owner.user.id, remixes=1)
    remix_id = await insert_row(
        container, remixer.user.id, original_pattern_id=original, remix_type="extension"
    )
    assert (await client.delete(url(remix_id), headers=remixer.headers)).status_code == 204
    assert (await client.get(url(original))).json()["remixes"] == 0


async def test_a_creators_library_pages_newest_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await make_artist(container, "Library")
    visitor = await make_artist(container, "Visitor")
    made = [await hand_written(client, owner, title=f"p{i}") for i in range(5)]
    private = await hand_written(client, owner, title="secret", isPublic=False)
    path = "/api/users/library/patterns"
    pages = await walk(client, path, 2, visitor.headers)
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [p["title"] for page in pages for p in page] == ["p4", "p3", "p2", "p1", "p0"]
    anonymous = await walk(client, f"/api/users/{owner.user.id}/patterns", 10)
    assert [p["id"] for p in anonymous[0]] == [p["id"] for p in reversed(made)]
    own = await walk(client, "/api/users/me/patterns", 3, owner.headers)
    titles = [p["title"] for page in own for p in page]
    assert titles == ["secret", "p4", "p3", "p2", "p1", "p0"]
    assert private["id"] in {p["id"] for page in own for p in page}
    assert (await client.get("/api/users/me/patterns")).status_code == 401
    assert (await client.get("/api/users/nobody-here/patterns")).status_code == 404
    bad = await client.get(path, params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422
    await client.post("/api/users/visitor/block", headers=owner.headers)
    hidden = await client.get(path, headers=visitor.headers)
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "user_not_found"
