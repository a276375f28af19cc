"""Following and unfollowing over HTTP."""

from __future__ import annotations

import httpx
import pytest

from notalabel.container import Container
from notalabel.social.events import UserFollowed, UserUnfollowed
from notalabel.social.service import RelationCounts, relation_counts
from tests.social.helpers import follow_rows, recorder, url
from tests.users.factories import make_artist


async def test_follow_answers_the_targets_counts_and_is_idempotent(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    seen = recorder(container, UserFollowed)

    first = await client.post(url(bo.user.id, "follow"), headers=ana.headers)
    again = await client.post(url(bo.user.id, "follow"), headers=ana.headers)

    assert first.status_code == again.status_code == 200, first.text
    expected = {"following": True, "followersCount": 1, "followingCount": 0}
    assert first.json() == again.json() == expected
    assert await follow_rows(container) == 1
    # the second follow changed nothing, so it announced nothing
    assert [(e.follower_id, e.followee_id) for e in seen if isinstance(e, UserFollowed)] == [
        (ana.user.id, bo.user.id)
    ]


async def test_unfollow_is_idempotent(client: httpx.AsyncClient, container: Container) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    seen = recorder(container, UserUnfollowed)
    await client.post(url(bo.user.id, "follow"), headers=ana.headers)

    for _ in range(2):
        response = await client.delete(url(bo.user.id, "follow"), headers=ana.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {"following": False, "followersCount": 0, "followingCount": 0}
    assert await follow_rows(container) == 0
    assert len(seen) == 1


@pytest.mark.parametrize("ref", ["bo waves", "BO   WAVES", " Bo Waves "])
async def test_artist_name_finds_the_user_in_any_case_and_spacing(
    client: httpx.AsyncClient, container: Container, ref: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")

    response = await client.post(url(ref, "follow"), headers=ana.headers)

    assert response.status_code == 200, response.text
    assert await follow_rows(container, follower=ana.user.id, followee=bo.user.id) == 1


@pytest.mark.parametrize("ref", ["me", "self-id", "Ana Beats"])
async def test_following_yourself_is_invalid(
    client: httpx.AsyncClient, container: Container, ref: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    target = ana.user.id if ref == "self-id" else ref

    response = await client.post(url(target, "follow"), headers=ana.headers)

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_input"
    assert await follow_rows(container) == 0


@pytest.mark.parametrize("method", ["POST", "DELETE"])
async def test_unknown_user_is_404(
    client: httpx.AsyncClient, container: Container, method: str
) -> None:
    ana = await make_artist(container, "Ana Beats")

    response = await client.request(method, url("Nobody Here", "follow"), headers=ana.headers)

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "user_not_found"


@pytest.mark.parametrize(
    ("method", "action"),
    [("POST", "follow"), ("DELETE", "follow"), ("POST", "block"), ("DELETE", "block")],
)
async def test_changes_need_a_token(
    client: httpx.AsyncClient, container: Container, method: str, action: str
) -> None:
    bo = await make_artist(container, "Bo Waves")

    response = await client.request(method, url(bo.user.id, action))

    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthorized"


async def test_counts_equal_rows_through_a_sequence(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana, bo, cy, dee = [
        await make_artist(container, name) for name in ("Ana Beats", "Bo Waves", "Cy Loops", "Dee")
    ]
    steps = [
        (ana, "POST", "follow", bo),
        (cy, "POST", "follow", bo),
        (bo, "POST", "follow", ana),
        (dee, "POST", "follow", bo),
        (ana, "POST", "follow", bo),
        (cy, "DELETE", "follow", bo),
        (bo, "POST", "block", ana),
        (dee, "POST", "follow", ana),
        (bo, "DELETE", "block", ana),
        (ana, "POST", "follow", bo),
        (cy, "DELETE", "follow", ana),
    ]
    everyone = (ana, bo, cy, dee)
    for actor, method, action, target in steps:
        response = await client.request(method, url(target.user.id, action), headers=actor.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if action == "follow":
            assert body["followersCount"] == await follow_rows(container, followee=target.user.id)
            assert body["followingCount"] == await follow_rows(container, follower=target.user.id)
        for artist in everyone:
            counts = await counts_of(container, artist.user.id)
            assert counts.followers == await follow_rows(container, followee=artist.user.id)
            assert counts.following == await follow_rows(container, follower=artist.user.id)

    assert await counts_of(container, bo.user.id) == RelationCounts(followers=2, following=0)
    assert await counts_of(container, ana.user.id) == RelationCounts(followers=1, following=1)
    assert await follow_rows(container) == 3


async def counts_of(container: Container, user_id: str) -> RelationCounts:
    """relation_counts in a transaction of its own (SQLite allows one writer at a time)."""
    async with container.db.transaction() as tx:
        return await relation_counts(tx, user_id)
