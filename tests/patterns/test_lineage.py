"""Reading remix families: GET .../lineage (bounded, cycle-free) and GET .../remixes."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import delete

from notalabel.container import Container
from notalabel.patterns.models import Pattern
from notalabel.patterns.service import insert_pattern
from tests.patterns.remix_factories import (
    HAND_WRITTEN,
    chain,
    pattern_row,
    read,
    remix,
    set_parent,
    store,
)
from tests.social.helpers import make_users, walk
from tests.users.factories import make_artist


async def lineage(
    client: httpx.AsyncClient, pattern_id: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """The lineage document, asserting a 200."""
    response = await client.get(f"/api/patterns/{pattern_id}/lineage", headers=headers or {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    """The ids of lineage nodes, in order."""
    return [node["id"] for node in nodes]


async def test_remix_of_a_remix_through_the_api(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Root Maker")
    fan = await make_artist(container, "Chain Fan")
    root = await store(container, maker.user.id, title="Root")
    first = await client.post(
        f"/api/patterns/{root['id']}/remix",
        json={"remixType": "variation", "feedback": "darker"},
        headers=fan.headers,
    )
    second = await client.post(
        f"/api/patterns/{first.json()['id']}/remix",
        json={"remixType": "extension", "code": HAND_WRITTEN},
        headers=maker.headers,
    )
    first_id, second_id = first.json()["id"], second.json()["id"]

    middle = await lineage(client, first_id)

    assert middle["patternId"] == first_id
    assert middle["ancestors"] == [
        {
            "id": root["id"],
            "title": "Root",
            "creator": {"id": maker.user.id, "artistName": "Root Maker"},
            "remixType": None,
            "depth": 1,
            "parentId": None,
        }
    ]
    assert middle["descendants"] == [
        {
            "id": second_id,
            "title": "Remix of Remix of Root",
            "creator": {"id": maker.user.id, "artistName": "Root Maker"},
            "remixType": "extension",
            "depth": 1,
            "parentId": first_id,
        }
    ]
    assert middle["truncated"] is False
    top = await lineage(client, root["id"])
    assert [(n["id"], n["depth"]) for n in top["descendants"]] == [(first_id, 1), (second_id, 2)]
    bottom = await lineage(client, second_id)
    assert [(n["id"], n["depth"]) for n in bottom["ancestors"]] == [(first_id, 1), (root["id"], 2)]


async def test_descendants_are_breadth_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Tree Maker")
    root = await store(container, maker.user.id)
    rows = []
    # a, b under the root; c under a (made before b, so only BFS puts b before c)
    a = pattern_row(maker.user.id, code=HAND_WRITTEN, original_pattern_id=root["id"], offset_us=1)
    c = pattern_row(maker.user.id, code=HAND_WRITTEN, original_pattern_id=a["id"], offset_us=2)
    b = pattern_row(maker.user.id, code=HAND_WRITTEN, original_pattern_id=root["id"], offset_us=3)
    rows = [a, c, b]

    def work(conn: Any) -> None:
        for row in rows:
            insert_pattern(conn, row)

    await container.db.run(work)

    body = await lineage(client, root["id"])

    assert ids(body["descendants"]) == [a["id"], b["id"], c["id"]]
    assert [n["depth"] for n in body["descendants"]] == [1, 1, 2]
    assert body["descendants"][2]["parentId"] == a["id"]


async def test_ancestors_stop_at_50(client: httpx.AsyncClient, container: Container) -> None:
    maker = await make_artist(container, "Long Chain")
    chain_ids = await chain(container, maker.user.id, 53)

    body = await lineage(client, chain_ids[-1])

    assert ids(body["ancestors"]) == chain_ids[-2::-1][:50]
    assert body["ancestors"][-1]["depth"] == 50
    assert body["truncated"] is True
    short = await lineage(client, chain_ids[50])
    assert len(short["ancestors"]) == 50
    assert short["truncated"] is False


async def test_descendants_stop_at_depth_20(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Deep Chain")
    chain_ids = await chain(container, maker.user.id, 23)

    body = await lineage(client, chain_ids[0])

    assert ids(body["descendants"]) == chain_ids[1:21]
    assert body["descendants"][-1]["depth"] == 20
    assert body["truncated"] is True
    exact = await lineage(client, chain_ids[2])
    assert len(exact["descendants"]) == 20
    assert exact["truncated"] is False


async def test_descendants_stop_at_200(client: httpx.AsyncClient, container: Container) -> None:
    maker = await make_artist(container, "Wide Tree")
    root = await store(container, maker.user.id)
    rows = [
        pattern_row(maker.user.id, code=HAND_WRITTEN, original_pattern_id=root["id"], offset_us=n)
        for n in range(1, 206)
    ]

    def work(conn: Any) -> None:
        for row in rows:
            insert_pattern(conn, row)

    await container.db.run(work)

    body = await lineage(client, root["id"])

    assert ids(body["descendants"]) == [row["id"] for row in rows[:200]]
    assert body["truncated"] is True


async def test_a_cycle_forced_in_the_database_ends(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Cycle Maker")
    a, b, c = await chain(container, maker.user.id, 3)
    await set_parent(container, a, c)
    lonely = (await store(container, maker.user.id))["id"]
    await set_parent(container, lonely, lonely)

    body = await lineage(client, a)
    self_loop = await lineage(client, lonely)

    assert ids(body["ancestors"]) == [c, b]
    assert ids(body["descendants"]) == [b, c]
    assert body["truncated"] is False
    assert self_loop["ancestors"] == []
    assert self_loop["descendants"] == []


async def test_invisible_patterns_and_their_subtrees_are_cut(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Cut Maker")
    secret = await make_artist(container, "Cut Secret")
    viewer = await make_artist(container, "Cut Viewer")
    root = await store(container, maker.user.id)
    hidden = await store(container, secret.user.id, is_public=False, original_pattern_id=root["id"])
    below = await store(container, maker.user.id, original_pattern_id=hidden["id"])
    open_remix = await store(container, maker.user.id, original_pattern_id=root["id"])

    seen_by_viewer = await lineage(client, root["id"], viewer.headers)
    seen_by_secret = await lineage(client, root["id"], secret.headers)
    from_below = await lineage(client, below["id"], viewer.headers)

    assert ids(seen_by_viewer["descendants"]) == [open_remix["id"]]
    assert ids(seen_by_secret["descendants"]) == [hidden["id"], open_remix["id"], below["id"]]
    assert from_below["ancestors"] == []
    missing = await client.get(f"/api/patterns/{hidden['id']}/lineage", headers=viewer.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "pattern_not_found"


async def test_a_block_cuts_the_blocked_artists_branch(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Block Root")
    blocked = await make_artist(container, "Block Remixer")
    viewer = await make_artist(container, "Block Viewer")
    root = await store(container, maker.user.id)
    theirs = await store(container, blocked.user.id, original_pattern_id=root["id"])
    below = await store(container, maker.user.id, original_pattern_id=theirs["id"])
    response = await client.post(f"/api/users/{blocked.user.id}/block", headers=viewer.headers)
    assert response.status_code == 200

    for_viewer = await lineage(client, root["id"], viewer.headers)
    for_anyone = await lineage(client, root["id"])

    assert for_viewer["descendants"] == []
    assert ids(for_anyone["descendants"]) == [theirs["id"], below["id"]]


async def test_remixes_list_newest_first_with_remixer_and_type(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "List Maker")
    fan = await make_artist(container, "List Fan")
    stranger = await make_artist(container, "List Stranger")
    original = await store(container, maker.user.id)
    made = []
    for kind in ("variation", "extension", "variation", "extension", "variation"):
        response = await remix(client, fan, original["id"], remixType=kind, code=HAND_WRITTEN)
        made.append((response.json()["id"], kind))
    private = await remix(
        client, fan, original["id"], remixType="variation", code=HAND_WRITTEN, isPublic=False
    )
    assert private.status_code == 201

    pages = await walk(client, f"/api/patterns/{original['id']}/remixes", 2)
    items = [item for page in pages for item in page]

    assert [(i["id"], i["remixType"]) for i in items] == made[::-1]
    assert all(i["remixer"] == {"id": fan.user.id, "artistName": "List Fan"} for i in items)
    own = await walk(client, f"/api/patterns/{original['id']}/remixes", 100, fan.headers)
    assert own[0][0]["id"] == private.json()["id"]
    assert len(own[0]) == 6
    # a block hides the remixer's remixes from the stranger who blocked them
    await client.post(f"/api/users/{fan.user.id}/block", headers=stranger.headers)
    hidden = await client.get(f"/api/patterns/{original['id']}/remixes", headers=stranger.headers)
    assert hidden.status_code == 200
    assert hidden.json()["items"] == []


async def test_remixes_of_an_invisible_pattern_are_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    (maker,) = await make_users(container, 1, "Lister")
    private = await store(container, maker.id, is_public=False)

    response = await client.get(f"/api/patterns/{private['id']}/remixes")
    bad_cursor = await client.get("/api/patterns/pat_x/remixes", params={"cursor": "!!"})

    assert response.status_code == 404
    assert bad_cursor.status_code in {404, 422}


async def test_deleted_original_leaves_its_remix_playing(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Gone Maker")
    fan = await make_artist(container, "Gone Fan")
    original = await store(container, maker.user.id)
    made = await remix(client, fan, original["id"], remixType="variation", feedback="slower")
    remix_id = made.json()["id"]

    gone = delete(Pattern).where(Pattern.id == original["id"])
    await container.db.run(lambda conn: conn.execute(gone))

    kept = await read(container, remix_id)
    assert kept is not None
    assert kept["original_pattern_id"] is None
    assert kept["strudel_code"] == made.json()["code"]
    lineage = await client.get(f"/api/patterns/{remix_id}/lineage")
    assert lineage.status_code == 200
    assert lineage.json()["ancestors"] == []
