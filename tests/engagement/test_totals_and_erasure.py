"""Profile totals follow the counters; deleting an account keeps others' counters exact."""

from __future__ import annotations

from typing import Any

import httpx

from notalabel.container import Container
from tests.engagement.factories import (
    comment_likes,
    like_url,
    make_pattern,
    pattern_counters,
    rows,
)
from tests.users.factories import Artist, make_artist


async def counts(client: httpx.AsyncClient, artist: Artist) -> dict[str, Any]:
    """The artist's own totals, the same on /me and on their profile seen by themselves."""
    me = await client.get("/api/users/me", headers=artist.headers)
    own = await client.get(f"/api/users/{artist.user.id}", headers=artist.headers)
    assert me.status_code == own.status_code == 200, me.text
    assert own.json()["counts"] == me.json()["counts"]
    return dict(me.json()["counts"])


async def seen_counts(
    client: httpx.AsyncClient, artist: Artist, visitor: Artist | None
) -> dict[str, Any]:
    """The artist's totals as a visitor (None: anonymous) sees them on the profile."""
    headers = visitor.headers if visitor else {}
    response = await client.get(f"/api/users/{artist.user.id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json()["counts"])


async def test_profile_totals_follow_likes_plays_and_unlikes(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    one = await make_pattern(container, ana.user.id)
    two = await make_pattern(container, ana.user.id, is_public=False)
    elsewhere = await make_pattern(container, bo.user.id)
    assert await counts(client, ana) == {
        "followers": 0,
        "following": 0,
        "patterns": 2,
        "likesReceived": 0,
        "plays": 0,
    }

    for fan in (bo, cy):
        await client.put(like_url(one), headers=fan.headers)
        await client.post(f"/api/patterns/{one}/play", headers=fan.headers)
    await client.put(like_url(two), headers=ana.headers)
    await client.post(f"/api/patterns/{two}/play", headers=ana.headers)
    await client.put(like_url(elsewhere), headers=ana.headers)
    await client.delete(like_url(one), headers=cy.headers)

    totals = await counts(client, ana)
    assert (totals["likesReceived"], totals["plays"]) == (2, 3)
    # visitors see totals over the public patterns only: the private one stays unseen
    for visitor in (None, bo):
        seen = await seen_counts(client, ana, visitor)
        assert (seen["patterns"], seen["likesReceived"], seen["plays"]) == (1, 1, 2)
    bo_totals = await counts(client, bo)
    assert (bo_totals["likesReceived"], bo_totals["plays"], bo_totals["patterns"]) == (1, 0, 1)


async def test_deleting_an_account_takes_its_engagement_off_others_counters(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    leaver = await make_artist(container, "Leaver")
    pattern = await make_pattern(container, ana.user.id)
    own = await make_pattern(container, leaver.user.id)
    for artist in (bo, leaver):
        await client.put(like_url(pattern), headers=artist.headers)
        await client.post(f"/api/patterns/{pattern}/play", headers=artist.headers)
    await client.put(like_url(own), headers=leaver.headers)
    post = f"/api/patterns/{pattern}/comments"
    mine = (await client.post(post, json={"body": "mine"}, headers=leaver.headers)).json()
    await client.post(post, json={"body": "mine too"}, headers=leaver.headers)
    theirs = (await client.post(post, json={"body": "bo's"}, headers=bo.headers)).json()
    for artist in (leaver, bo, ana):
        await client.put(f"/api/comments/{theirs['id']}/like", headers=artist.headers)
    await client.put(f"/api/comments/{mine['id']}/like", headers=bo.headers)
    assert await pattern_counters(container, pattern) == {
        "likes": 2,
        "plays": 2,
        "shares": 0,
        "comments": 3,
    }

    exported = (await client.get("/api/users/me/export", headers=leaver.headers)).json()
    engagement = exported["engagement"]
    assert [like["patternId"] for like in engagement["patternLikes"]] == [pattern, own]
    assert [c["body"] for c in engagement["comments"]] == ["mine", "mine too"]
    assert [c["commentId"] for c in engagement["commentLikes"]] == [theirs["id"]]
    assert [p["patternId"] for p in engagement["plays"]] == [pattern]

    assert (await client.delete("/api/users/me", headers=leaver.headers)).status_code == 204

    # plays are events that happened and stay counted; the row saying who played goes
    assert await pattern_counters(container, pattern) == {
        "likes": 1,
        "plays": 2,
        "shares": 0,
        "comments": 1,
    }
    assert await rows(container, "likes", pattern_id=pattern) == 1
    assert await rows(container, "comments", pattern_id=pattern) == 1
    assert await comment_likes(container, theirs["id"]) == 2
    assert await rows(container, "comment_likes", comment_id=theirs["id"]) == 2
    assert await rows(container, "listens", listener=leaver.user.id) == 0
    assert await rows(container, "listens", listener=bo.user.id) == 1
    assert (await counts(client, ana))["likesReceived"] == 1
    listed = (await client.get(post)).json()["items"]
    assert [c["id"] for c in listed] == [theirs["id"]]
