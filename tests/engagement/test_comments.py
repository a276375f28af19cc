"""Comments: validation, visibility, blocks, pagination, delete rights, comment likes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from notalabel.container import Container
from notalabel.patterns.events import CommentAdded
from tests.engagement.factories import (
    block,
    comment_likes,
    make_pattern,
    pattern_counters,
    recorder,
    rows,
)
from tests.users.factories import Artist, make_artist


def comments_url(pattern_id: str) -> str:
    return f"/api/patterns/{pattern_id}/comments"


async def comment(
    client: httpx.AsyncClient, pattern_id: str, artist: Artist, body: str = "love the bass"
) -> dict[str, Any]:
    response = await client.post(
        comments_url(pattern_id), json={"body": body}, headers=artist.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def listed(
    client: httpx.AsyncClient, pattern_id: str, artist: Artist | None = None
) -> list[dict[str, Any]]:
    headers = artist.headers if artist else {}
    response = await client.get(comments_url(pattern_id), params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def test_a_comment_is_stored_trimmed_counted_and_announced(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, ana.user.id)
    seen = recorder(container, CommentAdded)

    body = await comment(client, pattern, bo, "  love the bass\nand the hats  ")

    assert body["body"] == "love the bass\nand the hats"
    assert body["patternId"] == pattern
    assert body["author"] == {"id": bo.user.id, "artistName": "Bo Waves"}
    assert body["likes"] == 0
    assert body["likedByMe"] is False
    assert body["id"].startswith("cmt_")
    assert body["createdAt"]
    assert (await pattern_counters(container, pattern))["comments"] == 1
    assert [(e.comment_id, e.pattern_id, e.creator_id, e.author_id) for e in seen] == [
        (body["id"], pattern, ana.user.id, bo.user.id)
    ]
    assert await listed(client, pattern) == [{**body, "likedByMe": None}]


@pytest.mark.parametrize(
    "text", ["", "   \n\t ", "x" * 1001, "bad\x00byte", "bell\x07", "esc\x1b[31m", "c1\x85"]
)
async def test_invalid_comments_are_refused(
    client: httpx.AsyncClient, container: Container, text: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, ana.user.id)

    response = await client.post(comments_url(pattern), json={"body": text}, headers=ana.headers)

    assert response.status_code == 422, response.text
    assert await rows(container, "comments") == 0
    assert (await pattern_counters(container, pattern))["comments"] == 0


async def test_the_longest_comment_fits_after_trimming(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, ana.user.id)

    body = await comment(client, pattern, ana, "  " + "é" * 1000 + "  ")
    assert body["body"] == "é" * 1000
    anonymous = await client.post(comments_url(pattern), json={"body": "hi"})
    assert anonymous.status_code == 401


async def test_hidden_patterns_take_no_comments_and_show_none(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    public = await make_pattern(container, ana.user.id)
    private = await make_pattern(container, ana.user.id, is_public=False)
    await comment(client, public, cy)
    await block(client, bo, ana)

    for pattern in (public, private):
        post = await client.post(comments_url(pattern), json={"body": "hi"}, headers=bo.headers)
        assert post.status_code == 404, post.text
        read = await client.get(comments_url(pattern), headers=bo.headers)
        assert read.status_code == 404
        assert read.json()["error"]["code"] == "pattern_not_found"
    assert (await client.get(comments_url(private))).status_code == 404
    assert (await pattern_counters(container, public))["comments"] == 1


async def test_comments_of_blocked_artists_are_hidden_from_the_viewer(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    pattern = await make_pattern(container, ana.user.id)
    from_bo = await comment(client, pattern, bo, "from bo")
    from_cy = await comment(client, pattern, cy, "from cy")
    await block(client, cy, bo)

    assert [c["id"] for c in await listed(client, pattern, cy)] == [from_cy["id"]]
    assert [c["id"] for c in await listed(client, pattern, bo)] == [from_bo["id"]]
    assert len(await listed(client, pattern)) == 2
    assert len(await listed(client, pattern, ana)) == 2
    hidden = await client.put(f"/api/comments/{from_bo['id']}/like", headers=cy.headers)
    assert hidden.status_code == 404
    assert hidden.json()["error"]["code"] == "comment_not_found"


async def test_pages_walk_every_comment_oldest_first_exactly_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, ana.user.id)
    made = [(await comment(client, pattern, ana, f"comment {n}"))["id"] for n in range(7)]

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(comments_url(pattern), params=params)).json()
        assert len(page["items"]) <= 3
        seen += [c["id"] for c in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == made
    bad = await client.get(comments_url(pattern), params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422
    for limit in (0, 101):
        assert (await client.get(comments_url(pattern), params={"limit": limit})).status_code == 422


async def test_the_author_and_the_pattern_creator_may_delete_others_may_not(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    pattern = await make_pattern(container, ana.user.id)
    by_author = await comment(client, pattern, bo, "one")
    by_creator = await comment(client, pattern, bo, "two")
    kept = await comment(client, pattern, bo, "three")

    refused = await client.delete(f"/api/comments/{kept['id']}", headers=cy.headers)
    assert refused.status_code == 403, refused.text
    own = await client.delete(f"/api/comments/{by_author['id']}", headers=bo.headers)
    assert own.status_code == 204
    creator = await client.delete(f"/api/comments/{by_creator['id']}", headers=ana.headers)
    assert creator.status_code == 204
    again = await client.delete(f"/api/comments/{by_creator['id']}", headers=ana.headers)
    assert again.status_code == 404
    await block(client, cy, bo)
    blocked = await client.delete(f"/api/comments/{kept['id']}", headers=cy.headers)
    assert blocked.status_code == 404

    assert [c["id"] for c in await listed(client, pattern)] == [kept["id"]]
    assert (await pattern_counters(container, pattern))["comments"] == 1


async def test_comment_likes_are_idempotent_and_exact(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, ana.user.id)
    note = await comment(client, pattern, bo)
    url = f"/api/comments/{note['id']}/like"

    assert (await client.put(url, headers=ana.headers)).json() == {"liked": True, "likes": 1}
    assert (await client.put(url, headers=ana.headers)).json() == {"liked": True, "likes": 1}
    assert (await client.put(url, headers=bo.headers)).json() == {"liked": True, "likes": 2}
    by_ana = {c["id"]: c for c in await listed(client, pattern, ana)}[note["id"]]
    assert by_ana["likedByMe"] is True
    assert by_ana["likes"] == 2
    assert (await client.delete(url, headers=ana.headers)).json() == {"liked": False, "likes": 1}
    assert (await client.delete(url, headers=ana.headers)).json() == {"liked": False, "likes": 1}
    assert await comment_likes(container, note["id"]) == 1
    assert await rows(container, "comment_likes", comment_id=note["id"]) == 1
    assert (await client.put("/api/comments/cmt_nope/like", headers=ana.headers)).status_code == 404
    assert (await client.put(url)).status_code == 401
