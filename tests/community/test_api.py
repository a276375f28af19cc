"""GET /api/community/matches and /collaborations over a real database."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from notalabel.community.cache import MemoryMatchCache
from notalabel.community.service import CommunityService
from notalabel.container import Container
from notalabel.identity.events import IdentityCreated
from notalabel.users.events import UserDeleted
from tests.outbox import announce
from tests.users.factories import Artist, make_artist

MATCHES = "/api/community/matches"
COLLABORATIONS = "/api/community/collaborations"


def dna(genre: str | None, mood: str | None, energy: int = 5, complexity: int = 5,
        keywords: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """A stored musicDNA document."""
    return {
        "primaryGenre": genre,
        "subGenres": [],
        "preferredMood": mood,
        "energyLevel": energy,
        "complexity": complexity,
        "keywords": keywords or [],
    }


def joined(made: Artist, name: str) -> IdentityCreated:
    """The event onboarding publishes for a new artist."""
    taste = made.user.music_dna
    return IdentityCreated(
        session_id="s", user_id=made.user.id, artist_name=name, signature_pattern_id="",
        genre=taste.get("primaryGenre"), mood=taste.get("preferredMood"),
    )  # fmt: skip


async def artist(container: Container, name: str, document: dict[str, Any]) -> Artist:
    """An artist with this DNA, announced as onboarding announces a new artist."""
    made = await make_artist(container, name, music_dna=document)
    await announce(container, [joined(made, name)])
    return made


async def names(client: httpx.AsyncClient, path: str, who: Artist, **params: Any) -> list[str]:
    """The artist names a list answers, in order."""
    response = await client.get(path, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    return [item["artist"]["artistName"] for item in response.json()["items"]]


async def test_matches_rank_by_the_seeds_similarity_with_reasons_and_cards(
    client: httpx.AsyncClient, container: Container
) -> None:
    me = await artist(container, "Rainy Loops", dna("lo-fi", "chill", 4, 3, ["rain", "vinyl"]))
    await artist(container, "Vinyl Dust", dna("lo-fi", "study", 3, 3, ["vinyl", "rain"]))
    await artist(container, "Night Drill", dna("drill", "aggressive", 10, 9))
    await artist(container, "Lo Jazz", dna("jazz", "chill", 5, 6, ["sax"]))
    await artist(container, "No Genre", dna(None, "chill", 4, 3, ["rain", "vinyl"]))

    response = await client.get(MATCHES, headers=me.headers)

    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["artist"]["artistName"] for i in items] == ["Vinyl Dust", "Lo Jazz"]
    best = items[0]
    # 0.3 + 0 + 0.9 x 0.25 + (8/9) x 0.2 + 1 x 0.15 + 0.1
    assert best["similarity"] == pytest.approx(0.3 + 0.225 + 0.2 * 8 / 9 + 0.15 + 0.1)
    assert best["reasons"] == [
        "Both love lo-fi music",
        "Shared vibes: rain, vinyl",
        "Similar energy levels",
        "Compatible chill and study moods",
    ]
    assert best["artist"]["primaryGenre"] == "lo-fi"
    assert best["artist"]["preferredMood"] == "study"
    assert set(best["artist"]) == {
        "id", "artistName", "avatar", "bio", "primaryGenre", "preferredMood", "signaturePattern",
    }  # fmt: skip
    # the drill artist scores below the default minimum of 0.3
    assert await names(client, MATCHES, me, minSimilarity=0) == [
        "Vinyl Dust", "Lo Jazz", "Night Drill",
    ]  # fmt: skip
    assert await names(client, MATCHES, me, limit=1) == ["Vinyl Dust"]


async def test_the_caller_blocked_and_deleted_artists_never_appear(
    client: httpx.AsyncClient, container: Container
) -> None:
    me = await artist(container, "Ana Beats", dna("lo-fi", "chill"))
    blocked = await artist(container, "Bo Waves", dna("lo-fi", "chill"))
    blocker = await artist(container, "Cy Drums", dna("lo-fi", "chill"))
    gone = await artist(container, "Di Keys", dna("lo-fi", "chill"))
    await artist(container, "Ed Bass", dna("lo-fi", "chill"))
    # equal scores: ranked by id, so compare as sets
    assert set(await names(client, MATCHES, me)) == {"Bo Waves", "Cy Drums", "Di Keys", "Ed Bass"}

    await container.social.block(me.user.id, blocked.user.id)
    await container.social.block(blocker.user.id, me.user.id)
    await container.erasure.delete(gone.user.id)

    assert await names(client, MATCHES, me) == ["Ed Bass"]
    assert await names(client, COLLABORATIONS, me) == []
    assert gone.user.id not in container.community.index
    await container.social.unblock(me.user.id, blocked.user.id)
    assert set(await names(client, MATCHES, me)) == {"Bo Waves", "Ed Bass"}


async def test_an_account_deleted_through_another_worker_drops_out_at_the_next_query(
    container: Container,
) -> None:
    shared = MemoryMatchCache()
    this, other = CommunityService(container.db, shared), CommunityService(container.db, shared)
    me = await make_artist(container, "Ana Beats", music_dna=dna("lo-fi", "chill"))
    gone = await make_artist(container, "Bo Waves", music_dna=dna("lo-fi", "chill"))
    stays = await make_artist(container, "Cy Drums", music_dna=dna("lo-fi", "chill"))
    first = await this.matches(me.user.id, limit=10, min_similarity=0.3)
    assert {m.artist.id for m in first.items} == {gone.user.id, stays.user.id}

    # the other worker deletes the account; its UserDeleted reaches only that worker
    await container.db.run(
        lambda conn: conn.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": gone.user.id})
    )
    await other.artist_left(UserDeleted(user_id=gone.user.id))
    assert gone.user.id in this.index

    again = await this.matches(me.user.id, limit=10, min_similarity=0.3)
    assert [m.artist.id for m in again.items] == [stays.user.id]
    assert gone.user.id not in this.index


async def test_an_artist_who_joined_through_another_worker_shows_at_the_next_query(
    container: Container,
) -> None:
    # two workers share the cache (Redis in production); the join's event reaches only one
    shared = MemoryMatchCache()
    this, other = CommunityService(container.db, shared), CommunityService(container.db, shared)
    me = await make_artist(container, "Ana Beats", music_dna=dna("lo-fi", "chill"))
    assert (await this.matches(me.user.id, limit=10, min_similarity=0.3)).items == []

    later = await make_artist(container, "Bo Waves", music_dna=dna("lo-fi", "chill"))
    await other.artist_joined(joined(later, "Bo Waves"))

    found = await this.matches(me.user.id, limit=10, min_similarity=0.3)
    assert [m.artist.id for m in found.items] == [later.user.id]


async def test_without_an_event_a_join_shows_in_uncached_reads_within_the_sync_interval(
    container: Container,
) -> None:
    clock = [0.0]
    service = CommunityService(container.db, clock=lambda: clock[0])
    assert await service.sounds_like(dna("lo-fi", "chill"), 3) == []
    later = await make_artist(container, "Bo Waves", music_dna=dna("lo-fi", "chill"))
    clock[0] += 1.0
    assert await service.sounds_like(dna("lo-fi", "chill"), 3) == []
    clock[0] += 1.5
    found = await service.sounds_like(dna("lo-fi", "chill"), 3)
    assert [s.id for s in found] == [later.user.id]


async def test_collaborations_are_at_most_five_above_0_4_with_type_and_reason(
    client: httpx.AsyncClient, container: Container
) -> None:
    me = await artist(container, "Ana Beats", dna("lo-fi", "chill", 5, 1))
    for i in range(6):
        await artist(container, f"Jazz Cat {i}", dna("jazz", "chill", 10, 5))
    await artist(container, "Same Lane", dna("lo-fi", "chill", 10, 5))

    response = await client.get(COLLABORATIONS, headers=me.headers)

    assert response.status_code == 200
    items = response.json()["items"]
    jazz = {f"Jazz Cat {i}" for i in range(6)}
    assert len(items) == 5
    assert {i["artist"]["artistName"] for i in items} < jazz
    assert items[0]["potential"] == pytest.approx(0.9 * 0.4 + 0.3)
    assert items[0]["collaborationType"] == "genre-fusion"
    assert items[0]["reason"].startswith("Your lo-fi and their jazz: a proven fusion.")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0}, {"limit": 51}, {"limit": "ten"}, {"minSimilarity": 1.5},
        {"minSimilarity": -0.1}, {"minSimilarity": "nan"}, {"minSimilarity": "high"},
    ],
)  # fmt: skip
async def test_bad_query_values_are_422_in_the_error_shape(
    client: httpx.AsyncClient, container: Container, params: dict[str, Any]
) -> None:
    me = await artist(container, "Ana Beats", dna("lo-fi", "chill"))
    response = await client.get(MATCHES, headers=me.headers, params=params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


async def test_both_lists_need_a_sign_in(client: httpx.AsyncClient) -> None:
    for path in (MATCHES, COLLABORATIONS):
        response = await client.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"]
