"""Blocking and unblocking over HTTP, and what a block prevents."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from notalabel.social.events import UserBlocked, UserUnblocked, UserUnfollowed
from notalabel.social.service import is_blocked
from tests.social.helpers import block_rows, follow_rows, recorder, url
from tests.users.factories import make_artist


async def test_block_removes_follows_in_both_directions(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    for actor, target in ((ana, bo), (bo, ana), (cy, ana), (cy, bo)):
        await client.post(url(target.user.id, "follow"), headers=actor.headers)
    seen = recorder(container, UserBlocked, UserUnfollowed)

    response = await client.post(url(bo.user.id, "block"), headers=ana.headers)

    assert response.status_code == 200, response.text
    assert response.json() == {"blocked": True}
    assert await follow_rows(container, follower=ana.user.id, followee=bo.user.id) == 0
    assert await follow_rows(container, follower=bo.user.id, followee=ana.user.id) == 0
    # bystanders keep their follows
    assert await follow_rows(container, follower=cy.user.id) == 2
    unfollowed = {(e.follower_id, e.followee_id) for e in seen if isinstance(e, UserUnfollowed)}
    assert unfollowed == {(ana.user.id, bo.user.id), (bo.user.id, ana.user.id)}
    assert [type(e) for e in seen].count(UserBlocked) == 1


async def test_block_and_unblock_are_idempotent(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    seen = recorder(container, UserBlocked, UserUnblocked)

    for _ in range(2):
        response = await client.post(url("bo waves", "block"), headers=ana.headers)
        assert (response.status_code, response.json()) == (200, {"blocked": True})
    assert await block_rows(container) == 1
    for _ in range(2):
        response = await client.delete(url(bo.user.id, "block"), headers=ana.headers)
        assert (response.status_code, response.json()) == (200, {"blocked": False})
    assert await block_rows(container) == 0
    assert [type(e) for e in seen] == [UserBlocked, UserUnblocked]


@pytest.mark.parametrize("method", ["POST", "DELETE"])
async def test_blocking_yourself_is_invalid(
    client: httpx.AsyncClient, container: Container, method: str
) -> None:
    ana = await make_artist(container, "Ana Beats")

    response = await client.request(method, url("me", "block"), headers=ana.headers)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_input"


async def test_blocking_an_unknown_user_is_404(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")

    response = await client.post(url("usr_missing", "block"), headers=ana.headers)

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "user_not_found"


async def test_no_follow_across_a_block_either_way_and_the_message_is_the_same(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    await client.post(url(bo.user.id, "block"), headers=ana.headers)

    blocked = await client.post(url(ana.user.id, "follow"), headers=bo.headers)
    blocker = await client.post(url(bo.user.id, "follow"), headers=ana.headers)

    assert blocked.status_code == blocker.status_code == 403, blocked.text
    assert blocked.json() == blocker.json()
    assert blocked.json()["error"]["code"] == "blocked"
    assert await follow_rows(container) == 0

    await client.delete(url(bo.user.id, "block"), headers=ana.headers)
    again = await client.post(url(ana.user.id, "follow"), headers=bo.headers)
    assert again.status_code == 200, again.text


async def test_is_blocked_sees_either_direction(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    await client.post(url(bo.user.id, "block"), headers=ana.headers)

    async with container.db.transaction() as tx:
        assert await is_blocked(tx, ana.user.id, bo.user.id)
        assert await is_blocked(tx, bo.user.id, ana.user.id)
        assert not await is_blocked(tx, ana.user.id, cy.user.id)
        assert not await is_blocked(tx, cy.user.id, bo.user.id)


async def test_my_blocks_lists_whom_i_blocked_newest_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    others = [await make_artist(container, name) for name in ("Bo Waves", "Cy Loops", "Dee")]
    for other in others:
        await client.post(url(other.user.id, "block"), headers=ana.headers)
    # someone blocking ana does not show on ana's list
    await client.post(url(ana.user.id, "block"), headers=others[0].headers)

    response = await client.get("/api/users/me/blocks", headers=ana.headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["artistName"] for item in body["items"]] == ["Dee", "Cy Loops", "Bo Waves"]
    assert body["nextCursor"] is None
    assert set(body["items"][0]) == {"id", "artistName", "avatar", "followedAt"}

    page = await client.get("/api/users/me/blocks", params={"limit": 2}, headers=ana.headers)
    rest = await client.get(
        "/api/users/me/blocks",
        params={"limit": 2, "cursor": page.json()["nextCursor"]},
        headers=ana.headers,
    )
    names = [i["artistName"] for i in page.json()["items"] + rest.json()["items"]]
    assert names == ["Dee", "Cy Loops", "Bo Waves"]


async def test_my_blocks_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/users/me/blocks")

    assert response.status_code == 401, response.text
