"""The recent and following feeds: order, filters, pagination and who sees what."""

from __future__ import annotations

from datetime import timedelta

import httpx

from notalabel.container import Container
from notalabel.db import utcnow
from tests.discovery.factories import delete_pattern, make_pattern, update_pattern
from tests.discovery.helpers import every_page, ids
from tests.users.factories import make_artist

RECENT = "/api/feeds/recent"
FOLLOWING = "/api/feeds/following"


async def test_recent_is_newest_first_with_every_card_field(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    old = await make_pattern(container, ana.user.id, "Old", age=timedelta(days=3))
    new = await make_pattern(container, ana.user.id, "New", tags=["night"], likes=4)
    mid = await make_pattern(container, ana.user.id, "Mid", age=timedelta(hours=5))

    response = await client.get(RECENT)

    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["id"] for item in body["items"]] == [new, mid, old]
    assert body["nextCursor"] is None
    first = body["items"][0]
    assert first["creator"] == {"id": ana.user.id, "artistName": "Ana Beats"}
    assert first["title"] == "New"
    assert first["tags"] == ["night"]
    assert first["likes"] == 4
    assert first["shareUrl"].startswith("https://strudel.cc/#")
    assert first["code"] == 'note("c3 e3 g3").sound("piano")'


async def test_pages_have_no_duplicates_or_gaps_even_with_equal_times(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    same = utcnow() - timedelta(hours=1)
    made = [
        await make_pattern(container, ana.user.id, f"Same {i}", created_at=same) for i in range(5)
    ]
    made += [
        await make_pattern(container, ana.user.id, f"Other {i}", age=timedelta(minutes=i))
        for i in range(4)
    ]

    walked, pages = await every_page(client, RECENT, limit=2)

    assert sorted(walked) == sorted(made)
    assert len(walked) == len(set(walked)) == 9
    assert pages == 5
    # ties on created_at are broken by id, descending
    tied = [pid for pid in walked if pid in made[:5]]
    assert tied == sorted(made[:5], reverse=True)


async def test_private_patterns_and_blocked_artists_stay_out(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    dee = await make_artist(container, "Dee Keys")
    mine = await make_pattern(container, ana.user.id, "Mine")
    secret = await make_pattern(container, ana.user.id, "Mine, private", is_public=False)
    bos = await make_pattern(container, bo.user.id, "Bo's")
    cys = await make_pattern(container, cy.user.id, "Cy's")
    dees = await make_pattern(container, dee.user.id, "Dee's")
    await container.social.block(ana.user.id, bo.user.id)  # Ana blocked Bo
    await container.social.block(cy.user.id, ana.user.id)  # Cy blocked Ana

    seen_by_ana = set(await ids(client, RECENT, ana.headers))
    seen_by_bo = set(await ids(client, RECENT, bo.headers))
    anonymous = set(await ids(client, RECENT))

    # her own private pattern is not in the public feed either
    assert seen_by_ana == {mine, dees}
    assert seen_by_bo == {bos, cys, dees}
    assert anonymous == {mine, bos, cys, dees}
    assert secret not in anonymous


async def test_genre_mood_and_tag_filters(client: httpx.AsyncClient, container: Container) -> None:
    ana = await make_artist(container, "Ana Beats")
    techno_dark = await make_pattern(
        container, ana.user.id, "T", genre="techno", mood="dark", tags=["lo-fi", "night"]
    )
    techno_chill = await make_pattern(
        container, ana.user.id, "TC", genre="techno", mood="chill", age=timedelta(minutes=1)
    )
    lofi = await make_pattern(container, ana.user.id, "L", tags=["night"], age=timedelta(minutes=2))

    assert await ids(client, RECENT, genre="techno") == [techno_dark, techno_chill]
    assert await ids(client, RECENT, mood="chill") == [techno_chill, lofi]
    assert await ids(client, RECENT, genre="techno", mood="dark") == [techno_dark]
    # tags are matched in their normalised form, as they are stored
    assert await ids(client, RECENT, tag="Night") == [techno_dark, lofi]
    assert await ids(client, RECENT, tag="LO FI") == [techno_dark]
    assert await ids(client, RECENT, tag="night", genre="lo-fi") == [lofi]
    assert await ids(client, RECENT, tag="nothing") == []


async def test_the_filters_list_every_genre_and_mood_each_feed_accepts(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    response = await client.get("/api/feeds/filters")
    assert response.status_code == 200, response.text
    filters = response.json()
    assert filters["genres"][:3] == ["lo-fi", "hip-hop", "trap"]
    assert len(filters["genres"]) == 14
    assert len(filters["moods"]) == 10
    # every listed id is a filter each feed takes (an unknown one is a 422)
    for genre in filters["genres"]:
        await make_pattern(container, ana.user.id, genre, genre=genre)
        assert await ids(client, RECENT, genre=genre) != []
    for mood in filters["moods"]:
        answer = await client.get(RECENT, params={"mood": mood})
        assert answer.status_code == 200, answer.text
    assert (await client.get(RECENT, params={"genre": "polka"})).status_code == 422


async def test_tag_feed_follows_tag_edits_and_deletions(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    first = await make_pattern(container, ana.user.id, "One", tags=["night", "rain"])
    second = await make_pattern(
        container, ana.user.id, "Two", tags=["rain"], age=timedelta(hours=1)
    )

    await update_pattern(container, first, tags=["dawn"])
    assert await ids(client, RECENT, tag="rain") == [second]
    assert await ids(client, RECENT, tag="dawn") == [first]
    assert await ids(client, RECENT, tag="night") == []
    await delete_pattern(container, second)
    assert await ids(client, RECENT, tag="rain") == []


async def test_tag_feed_pages_by_time_without_gaps(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    same = utcnow() - timedelta(hours=2)
    tagged = [
        await make_pattern(container, ana.user.id, f"T{i}", tags=["rain"], created_at=same)
        for i in range(3)
    ]
    tagged += [
        await make_pattern(container, ana.user.id, f"U{i}", tags=["rain"], age=timedelta(minutes=i))
        for i in range(2)
    ]
    await make_pattern(container, ana.user.id, "untagged")

    walked, _ = await every_page(client, RECENT, limit=2, tag="rain")

    assert walked == tagged[3:] + sorted(tagged[:3], reverse=True)


async def test_following_needs_a_sign_in_and_lists_followed_artists_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    await container.social.follow(ana.user.id, bo.user.id)
    await container.social.follow(bo.user.id, cy.user.id)
    bo_old = await make_pattern(container, bo.user.id, "Bo old", age=timedelta(days=1))
    bo_new = await make_pattern(container, bo.user.id, "Bo new", genre="techno")
    await make_pattern(container, bo.user.id, "Bo private", is_public=False)
    await make_pattern(container, cy.user.id, "Cy")
    await make_pattern(container, ana.user.id, "Ana herself")

    anonymous = await client.get(FOLLOWING)
    assert anonymous.status_code == 401
    assert await ids(client, FOLLOWING, ana.headers) == [bo_new, bo_old]
    assert await ids(client, FOLLOWING, ana.headers, genre="techno") == [bo_new]
    walked, pages = await every_page(client, FOLLOWING, ana.headers, limit=1)
    assert (walked, pages) == ([bo_new, bo_old], 2)
    await container.social.unfollow(ana.user.id, bo.user.id)
    assert await ids(client, FOLLOWING, ana.headers) == []


async def test_following_merges_the_newest_of_each_artist_with_filters_and_blocks(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    await container.social.follow(ana.user.id, bo.user.id)
    await container.social.follow(ana.user.id, cy.user.id)
    # the two artists' patterns interleave in time; each has more than a page of them
    made = []
    for hour in range(8):
        artist = bo if hour % 2 else cy
        mood = "dreamy" if hour < 4 else "chill"
        made.append(
            await make_pattern(
                container,
                artist.user.id,
                f"P{hour}",
                mood=mood,
                tags=["rain"] if hour % 3 == 0 else [],
                age=timedelta(hours=hour),
            )
        )

    walked, pages = await every_page(client, FOLLOWING, ana.headers, limit=3)
    assert (walked, pages) == (made, 3)
    assert await ids(client, FOLLOWING, ana.headers, tag="rain") == [made[0], made[3], made[6]]
    assert await ids(client, FOLLOWING, ana.headers, mood="dreamy", limit=2) == made[:2]
    walked, _ = await every_page(client, FOLLOWING, ana.headers, limit=1, mood="chill")
    assert walked == made[4:]
    await container.social.block(cy.user.id, ana.user.id)  # Cy blocked Ana
    assert await ids(client, FOLLOWING, ana.headers) == made[1::2]


async def test_bad_parameters_are_422(client: httpx.AsyncClient, container: Container) -> None:
    ana = await make_artist(container, "Ana Beats")
    for n in range(3):
        await make_pattern(container, ana.user.id, f"P{n}", age=timedelta(minutes=n))
    page = (await client.get(RECENT, params={"limit": 1})).json()
    trending_page = (await client.get("/api/feeds/trending", params={"limit": 1})).json()

    for params in (
        {"genre": "polka-metal"},
        {"mood": "sleepy-ish"},
        {"limit": 0},
        {"limit": 101},
        {"tag": ""},
        {"tag": "x" * 129},
        {"cursor": "not-a-cursor"},
        # a cursor belongs to the feed that made it
        {"cursor": trending_page["nextCursor"]},
    ):
        response = await client.get(RECENT, params=params)
        assert response.status_code == 422, (params, response.text)
    assert (await client.get(RECENT, params={"cursor": page["nextCursor"]})).status_code == 200
    assert (await client.get("/api/feeds/sideways")).status_code == 404
