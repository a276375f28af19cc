"""Followers and following lists: shape, order, cursor pagination and visibility."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from notalabel.container import Container
from tests.social.helpers import add_follows, make_users, url, walk
from tests.users.factories import make_artist

BASE = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


async def test_lists_show_artists_newest_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    await client.post(url(ana.user.id, "follow"), headers=bo.headers)
    await client.post(url(ana.user.id, "follow"), headers=cy.headers)
    await client.post(url(cy.user.id, "follow"), headers=ana.headers)

    followers = await client.get(url("ana beats", "followers"))
    following = await client.get(url(ana.user.id, "following"), headers=bo.headers)
    mine = await client.get(url("me", "followers"), headers=ana.headers)

    assert followers.status_code == following.status_code == mine.status_code == 200
    body = followers.json()
    assert [i["artistName"] for i in body["items"]] == ["Cy Loops", "Bo Waves"]
    assert body["nextCursor"] is None
    first = body["items"][0]
    assert set(first) == {"id", "artistName", "avatar", "followedAt"}
    assert (first["id"], first["avatar"]) == (cy.user.id, None)
    assert datetime.fromisoformat(first["followedAt"]).tzinfo is not None
    assert [i["id"] for i in following.json()["items"]] == [cy.user.id]
    assert mine.json() == body


@pytest.mark.parametrize("same_time", [3, 45], ids=["groups-of-3", "all-equal"])
async def test_walking_45_followers_by_20_returns_each_once(
    client: httpx.AsyncClient, container: Container, same_time: int
) -> None:
    star = await make_artist(container, "Star")
    fans = await make_users(container, 45, "Fan")
    # several follows share a created_at, including across the page boundaries
    await add_follows(
        container,
        [
            (fan.id, star.user.id, BASE + timedelta(seconds=index // same_time))
            for index, fan in enumerate(fans)
        ],
    )

    pages = await walk(client, url(star.user.id, "followers"), limit=20)

    assert [len(page) for page in pages] == [20, 20, 5]
    ids = [item["id"] for page in pages for item in page]
    assert len(ids) == len(set(ids)) == 45
    assert set(ids) == {fan.id for fan in fans}
    stamps = [datetime.fromisoformat(item["followedAt"]) for page in pages for item in page]
    assert stamps == sorted(stamps, reverse=True)


async def test_following_list_pages_the_same_way(
    client: httpx.AsyncClient, container: Container
) -> None:
    fan = await make_artist(container, "Fan")
    stars = await make_users(container, 45, "Star")
    await add_follows(container, [(fan.user.id, star.id, BASE) for star in stars])

    pages = await walk(client, url("me", "following"), limit=20, headers=fan.headers)

    ids = [item["id"] for page in pages for item in page]
    assert [len(page) for page in pages] == [20, 20, 5]
    assert sorted(ids) == sorted(star.id for star in stars)


async def test_an_exact_last_page_has_no_next_cursor(
    client: httpx.AsyncClient, container: Container
) -> None:
    star = await make_artist(container, "Star")
    fans = await make_users(container, 40, "Fan")
    await add_follows(container, [(fan.id, star.user.id, BASE) for fan in fans])

    pages = await walk(client, url(star.user.id, "followers"), limit=20)

    assert [len(page) for page in pages] == [20, 20]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "%%%",
        base64.urlsafe_b64encode(b"no separator").decode(),
        base64.urlsafe_b64encode(b"yesterday|usr_x").decode(),
        # a time without a zone cannot be compared with the stored UTC times
        base64.urlsafe_b64encode(b"2024-05-01T12:00:00|usr_x").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe|x").decode(),
        "x" * 500,
    ],
)
async def test_malformed_cursor_is_422(
    client: httpx.AsyncClient, container: Container, cursor: str
) -> None:
    star = await make_artist(container, "Star")

    response = await client.get(url(star.user.id, "followers"), params={"cursor": cursor})

    assert response.status_code == 422, response.text
    assert set(response.json()["error"]) == {"code", "message", "details"}


async def test_a_cursor_from_another_zone_still_works(
    client: httpx.AsyncClient, container: Container
) -> None:
    star = await make_artist(container, "Star")
    fans = await make_users(container, 3, "Fan")
    await add_follows(
        container, [(fan.id, star.user.id, BASE + timedelta(hours=i)) for i, fan in enumerate(fans)]
    )
    shifted = (BASE + timedelta(hours=1)).astimezone(timezone(timedelta(hours=2))).isoformat()
    raw = f"{shifted}|{fans[1].id}"
    cursor = base64.urlsafe_b64encode(raw.encode()).decode()

    response = await client.get(url(star.user.id, "followers"), params={"cursor": cursor})

    assert response.status_code == 200, response.text
    assert [i["id"] for i in response.json()["items"]] == [fans[0].id]


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten"])
async def test_bad_limit_is_422(
    client: httpx.AsyncClient, container: Container, limit: str
) -> None:
    star = await make_artist(container, "Star")

    response = await client.get(url(star.user.id, "following"), params={"limit": limit})

    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("action", ["followers", "following"])
async def test_unknown_user_list_is_404(client: httpx.AsyncClient, action: str) -> None:
    response = await client.get(url("Nobody Here", action))

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "user_not_found"


@pytest.mark.parametrize("action", ["followers", "following"])
async def test_lists_are_hidden_across_a_block(
    client: httpx.AsyncClient, container: Container, action: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    await client.post(url(bo.user.id, "block"), headers=ana.headers)
    missing = await client.get(url("Nobody Here", action), headers=bo.headers)

    for viewer, target in ((bo, ana), (ana, bo)):
        response = await client.get(url(target.user.id, action), headers=viewer.headers)
        assert response.status_code == 404, response.text
        assert response.json() == missing.json()
    # anyone else, signed in or not, still sees them
    assert (await client.get(url(ana.user.id, action), headers=cy.headers)).status_code == 200
    assert (await client.get(url(ana.user.id, action))).status_code == 200


async def test_me_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(url("me", "followers"))

    assert response.status_code == 401, response.text


async def test_a_bad_token_on_a_list_is_401(
    client: httpx.AsyncClient, container: Container
) -> None:
    star = await make_artist(container, "Star")

    response = await client.get(
        url(star.user.id, "followers"), headers={"Authorization": "Bearer nope"}
    )

    assert response.status_code == 401, response.text
