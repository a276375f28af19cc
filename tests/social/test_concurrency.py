"""Simultaneous requests on the same pair of artists."""

from __future__ import annotations

import asyncio

import httpx

from notalabel.container import Container
from notalabel.social.events import UserFollowed
from tests.social.helpers import follow_rows, recorder, url
from tests.users.factories import make_artist


async def test_twenty_simultaneous_follows_leave_one_row(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    seen = recorder(container, UserFollowed)

    responses = await asyncio.gather(
        *(client.post(url(bo.user.id, "follow"), headers=ana.headers) for _ in range(20))
    )

    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses]
    assert all(r.json()["followersCount"] == 1 for r in responses)
    assert await follow_rows(container) == 1
    assert len(seen) == 1


async def test_follows_racing_a_block_never_outlive_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")

    follows = [client.post(url(bo.user.id, "follow"), headers=ana.headers) for _ in range(10)]
    block = client.post(url(ana.user.id, "block"), headers=bo.headers)
    responses = await asyncio.gather(*follows[:5], block, *follows[5:])

    assert {r.status_code for r in responses} <= {200, 403}
    assert await follow_rows(container) == 0
