"""Pattern likes: idempotent both ways, exact counter, visible patterns only, events once."""

from __future__ import annotations

import httpx

from notalabel.container import Container
from notalabel.patterns.events import PatternLiked
from tests.engagement.factories import (
    block,
    like_url,
    make_pattern,
    pattern_counters,
    recorder,
    rows,
)
from tests.users.factories import make_artist


async def test_liking_twice_counts_once_and_unliking_twice_leaves_zero(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    pattern = await make_pattern(container, ana.user.id)
    seen = recorder(container, PatternLiked)

    first = await client.put(like_url(pattern), headers=bo.headers)
    again = await client.put(like_url(pattern), headers=bo.headers)

    assert first.status_code == again.status_code == 200, first.text
    assert first.json() == again.json() == {"liked": True, "likes": 1}
    assert await rows(container, "likes", pattern_id=pattern) == 1
    assert len(seen) == 1
    event = seen[0]
    assert isinstance(event, PatternLiked)
    assert (event.pattern_id, event.creator_id, event.user_id, event.likes) == (
        pattern,
        ana.user.id,
        bo.user.id,
        1,
    )

    gone = await client.delete(like_url(pattern), headers=bo.headers)
    gone_again = await client.delete(like_url(pattern), headers=bo.headers)
    assert gone.json() == gone_again.json() == {"liked": False, "likes": 0}
    assert (await pattern_counters(container, pattern))["likes"] == 0
    assert await rows(container, "likes", pattern_id=pattern) == 0
    assert len(seen) == 1  # unliking publishes nothing


async def test_likes_of_several_artists_add_up(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    fans = [await make_artist(container, f"Fan {n}") for n in range(3)]
    pattern = await make_pattern(container, ana.user.id)

    answers = [(await client.put(like_url(pattern), headers=f.headers)).json() for f in fans]
    assert [a["likes"] for a in answers] == [1, 2, 3]
    await client.delete(like_url(pattern), headers=fans[1].headers)
    assert (await pattern_counters(container, pattern))["likes"] == 2


async def test_each_artist_reads_whether_they_like_a_pattern(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    pattern = await make_pattern(container, ana.user.id)
    other = await make_pattern(container, ana.user.id, title="Other")
    await client.put(like_url(pattern), headers=bo.headers)
    await client.put(like_url(other), headers=cy.headers)

    async def state(artist_headers: dict[str, str], pattern_id: str) -> object:
        response = await client.get(like_url(pattern_id), headers=artist_headers)
        assert response.status_code == 200, response.text
        return response.json()

    assert await state(bo.headers, pattern) == {"liked": True, "likes": 1}
    assert await state(cy.headers, pattern) == {"liked": False, "likes": 1}
    assert await state(bo.headers, other) == {"liked": False, "likes": 1}
    await client.delete(like_url(pattern), headers=bo.headers)
    assert await state(bo.headers, pattern) == {"liked": False, "likes": 0}


async def test_a_like_needs_a_signed_in_artist(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    pattern = await make_pattern(container, ana.user.id)

    assert (await client.put(like_url(pattern))).status_code == 401
    assert (await client.delete(like_url(pattern))).status_code == 401
    assert (await client.get(like_url(pattern))).status_code == 401


async def test_unknown_and_private_patterns_are_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    private = await make_pattern(container, ana.user.id, is_public=False)

    for url in (like_url("pat_nope"), like_url(private)):
        for method in (client.get, client.put, client.delete):
            response = await method(url, headers=bo.headers)
            assert response.status_code == 404, response.text
            assert response.json()["error"]["code"] == "pattern_not_found"
    assert await rows(container, "likes") == 0
    # the creator sees (and may like) their own private pattern
    own = await client.put(like_url(private), headers=ana.headers)
    assert own.json() == {"liked": True, "likes": 1}


async def test_a_block_either_way_hides_the_pattern(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Loops")
    pattern = await make_pattern(container, ana.user.id)
    await block(client, ana, bo)  # the creator blocks a listener
    await block(client, cy, ana)  # a listener blocks the creator

    for artist in (bo, cy):
        response = await client.put(like_url(pattern), headers=artist.headers)
        assert response.status_code == 404, response.text
        assert (await client.get(like_url(pattern), headers=artist.headers)).status_code == 404
    assert (await pattern_counters(container, pattern))["likes"] == 0
