"""Search: what it finds, in which order, typos, user input as plain text, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from notalabel.container import Container
from notalabel.discovery.tables import USERS
from tests.conftest import PG_URL
from tests.discovery.factories import delete_pattern, make_pattern, update_pattern
from tests.discovery.helpers import every_page, ids
from tests.users.factories import make_artist

SEARCH = "/api/patterns/search"


async def test_finds_words_in_title_tags_and_description_title_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    # the description match is the newest: relevance, not time, orders the results
    described = await make_pattern(
        container, ana.user.id, "Evening walk", description="A dreamy stroll by the river"
    )
    tagged = await make_pattern(
        container, ana.user.id, "Night drive", tags=["dreamy"], age=timedelta(hours=1)
    )
    titled = await make_pattern(container, ana.user.id, "Dreamy sunset", age=timedelta(hours=2))
    await make_pattern(container, ana.user.id, "Hard techno", description="Pounding kicks")

    assert await ids(client, SEARCH, q="dreamy") == [titled, tagged, described]
    assert await ids(client, SEARCH, q="DREAMY") == [titled, tagged, described]
    assert await ids(client, SEARCH, q="river") == [described]
    assert await ids(client, SEARCH, q="drive") == [tagged]
    # every word must be found, in any of the three fields
    assert await ids(client, SEARCH, q="dreamy stroll") == [described]
    assert await ids(client, SEARCH, q="dreamy kicks") == []
    # stems and prefixes: "walking" finds "walk", "sunse" finds "sunset"
    assert await ids(client, SEARCH, q="walking") == [described]
    assert await ids(client, SEARCH, q="sunse") == [titled]


@pytest.mark.skipif(PG_URL is None, reason="typos are pg_trgm's: PostgreSQL only")
async def test_one_typo_still_finds_the_word_and_ranks_below_an_exact_match(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    ambient = await make_pattern(container, ana.user.id, "Ambient sunset")
    ambiant = await make_pattern(container, ana.user.id, "Ambiant waves")

    assert await ids(client, SEARCH, q="sunsett") == [ambient]  # a letter too many
    assert await ids(client, SEARCH, q="ambent") == [ambient]  # one missing
    assert await ids(client, SEARCH, q="ambiemt") == [ambient]  # one wrong
    # the exact word first, the near one after it
    assert await ids(client, SEARCH, q="ambient") == [ambient, ambiant]
    assert await ids(client, SEARCH, q="ambiant") == [ambiant, ambient]
    assert await ids(client, SEARCH, q="zzzzzz") == []


@pytest.mark.skipif(PG_URL is not None, reason="the SQLite flavour of the rule above")
async def test_sqlite_matches_prefixes_not_typos(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    ambient = await make_pattern(container, ana.user.id, "Ambient sunset")

    assert await ids(client, SEARCH, q="ambi") == [ambient]
    assert await ids(client, SEARCH, q="ambeint") == []


@pytest.mark.parametrize(
    "query",
    [
        'near "the sea" - dreamy',
        "NEAR(dreamy sea)",
        "dreamy* -sea",
        "sea AND dreamy OR near",
        'title:dreamy "sea" near^',
        "dreamy:* & !sea | near",
    ],
)
async def test_search_syntax_in_the_query_is_plain_text(
    client: httpx.AsyncClient, container: Container, query: str
) -> None:
    ana = await make_artist(container, "Ana Beats")
    near = await make_pattern(
        container, ana.user.id, "Near the sea - dreamy", tags=["and", "or", "title"]
    )
    await make_pattern(container, ana.user.id, "Dreamy only")

    found = await ids(client, SEARCH, q=query)

    # "-sea" did not exclude the sea, NEAR was a word, quotes and stars were nothing
    assert found == [near]


async def test_a_query_without_words_finds_nothing_and_bad_queries_are_422(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    await make_pattern(container, ana.user.id, "Dreamy sunset")

    assert await ids(client, SEARCH, q='"*- ()') == []
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "x" * 201}, {"q": "a", "limit": 0}):
        response = await client.get(SEARCH, params=params)
        assert response.status_code == 422, (params, response.text)
    bad = await client.get(SEARCH, params={"q": "dreamy", "cursor": "bm9wZQ"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_cursor"


async def test_private_patterns_and_blocks_stay_out_of_search(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    cy = await make_artist(container, "Cy Drums")
    anas = await make_pattern(container, ana.user.id, "Rain song")
    await make_pattern(container, ana.user.id, "Rain secret", is_public=False)
    bos = await make_pattern(container, bo.user.id, "Rain dance")
    cys = await make_pattern(container, cy.user.id, "Rain drops")
    await container.social.block(bo.user.id, ana.user.id)

    assert set(await ids(client, SEARCH, q="rain")) == {anas, bos, cys}
    assert set(await ids(client, SEARCH, ana.headers, q="rain")) == {anas, cys}
    assert set(await ids(client, SEARCH, bo.headers, q="rain")) == {bos, cys}


async def test_search_pages_without_duplicates_and_follows_edits(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    same = [await make_pattern(container, ana.user.id, "Rain") for _ in range(4)]
    better = await make_pattern(container, ana.user.id, "Rain rain", tags=["rain"])
    await make_pattern(container, ana.user.id, "Sun")

    walked, pages = await every_page(client, SEARCH, limit=2, q="rain")

    assert walked == [better, *sorted(same, reverse=True)]
    assert pages == 3
    await update_pattern(container, same[0], title="Snow", description="cold")
    await delete_pattern(container, same[1])
    assert set(await ids(client, SEARCH, q="rain")) == {better, same[2], same[3]}
    assert await ids(client, SEARCH, q="cold") == [same[0]]
    await update_pattern(container, same[2], tags=["hail"])
    assert await ids(client, SEARCH, q="hail") == [same[2]]


async def test_a_deleted_account_leaves_nothing_in_the_search_index(
    client: httpx.AsyncClient, container: Container
) -> None:
    ana = await make_artist(container, "Ana Beats")
    bo = await make_artist(container, "Bo Waves")
    await make_pattern(container, ana.user.id, "Rain song", tags=["rain"])
    kept = await make_pattern(container, bo.user.id, "Rain dance")

    def erase(conn: Connection) -> None:
        conn.execute(sa.delete(USERS).where(USERS.c.id == ana.user.id))

    await container.db.run(erase)

    assert await ids(client, SEARCH, q="rain") == [kept]
    assert await index_rows(container) == {1}


async def index_rows(container: Container) -> set[int]:
    """How many rows the backend's search index tables hold."""
    # on PostgreSQL the vector is a column of the pattern row itself
    tables = ["pattern_search_rows", "pattern_search"] if PG_URL is None else ["patterns"]

    def count(conn: Connection) -> set[int]:
        return {
            int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in tables
        }

    return await container.db.read(count)


@pytest.mark.parametrize("walk_rows", [2, 100], ids=["rare-word-branch", "walk-branch"])
async def test_relevance_is_ranked_among_the_most_trending_matches(
    client: httpx.AsyncClient,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    walk_rows: int,
) -> None:
    # both ways of finding the candidates (walking the trending index, or every match of the
    # full-text index) must give the same ones: the most trending matches
    from notalabel.discovery import search, search_postgres

    monkeypatch.setattr(search, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(search_postgres, "MAX_CANDIDATES", 3)
    monkeypatch.setattr(search_postgres, "_CANDIDATES", sa.literal_column("3", sa.Integer()))
    monkeypatch.setattr(
        search_postgres, "_WALK_ROWS", sa.literal_column(str(walk_rows), sa.Integer())
    )
    search_postgres._statement.cache_clear()
    try:
        ana = await make_artist(container, "Ana Beats")
        # the two most trending patterns do not match: a walk of 2 rows finds no candidate
        for hours in (0, 1):
            await make_pattern(container, ana.user.id, "Sun", age=timedelta(hours=hours))
        rains = [
            await make_pattern(container, ana.user.id, "Rain", age=timedelta(hours=2 + n))
            for n in range(6)
        ]
        # a better match that trends less stays out; equal relevance ranks by id
        await make_pattern(
            container, ana.user.id, "Rain rain", tags=["rain"], age=timedelta(days=9)
        )

        found = await ids(client, SEARCH, q="rain")
    finally:
        search_postgres._statement.cache_clear()

    assert found == sorted(rains[:3], reverse=True)
