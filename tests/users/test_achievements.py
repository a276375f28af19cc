"""Achievements earned from events: milestones of the profile's counts, firsts from remixes and
collaborations; each added once, kept, and never for your own remix."""

from __future__ import annotations

import httpx

from notalabel.container import Container
from notalabel.patterns.events import PatternLiked
from notalabel.users.achievements import AchievementHandlers, earned
from notalabel.users.schemas import Counts
from tests.patterns.factories import create, url
from tests.patterns.remix_factories import remix
from tests.patterns.test_signature import onboarded
from tests.users.factories import Artist, make_artist

JOINED = ["first_beat", "musical_identity_created"]


async def achievements(client: httpx.AsyncClient, artist: Artist) -> list[str]:
    """The achievements on the artist's public profile."""
    response = await client.get(f"/api/users/{artist.user.id}")
    assert response.status_code == 200, response.text
    found: list[str] = response.json()["achievements"]
    return found


def test_milestones_are_reached_at_their_thresholds() -> None:
    def counts(**values: int) -> Counts:
        base = {"followers": 0, "following": 0, "patterns": 1, "likes_received": 0, "plays": 0}
        return Counts(**{**base, **values})

    assert earned(counts()) == []
    assert earned(counts(likes_received=9)) == ["first_like"]
    assert earned(counts(likes_received=10)) == ["first_like", "ten_likes"]
    assert earned(counts(likes_received=100, followers=1, patterns=2)) == [
        "first_like", "ten_likes", "hundred_likes", "first_follower", "first_new_pattern",
    ]  # fmt: skip
    assert earned(counts(followers=10, following=500, plays=10_000)) == [
        "first_follower", "ten_followers",
    ]  # fmt: skip


async def test_likes_follows_and_patterns_earn_milestones_that_stay(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await onboarded(client, container, "Milestone Maker")  # a signature pattern row
    fan = await make_artist(container, "Milestone Fan")
    assert await achievements(client, maker) == JOINED

    pattern = await create(client, maker)
    assert await achievements(client, maker) == [*JOINED, "first_new_pattern"]
    liked = await client.put(url(pattern["id"], "like"), headers=fan.headers)
    assert liked.status_code == 200, liked.text
    followed = await client.post(f"/api/users/{maker.user.id}/follow", headers=fan.headers)
    assert followed.status_code in (200, 201), followed.text
    earned_now = [*JOINED, "first_new_pattern", "first_like", "first_follower"]
    assert await achievements(client, maker) == earned_now
    assert await achievements(client, fan) == JOINED

    # taken back: the achievement stays; a redelivered event adds nothing
    await client.delete(url(pattern["id"], "like"), headers=fan.headers)
    handlers = AchievementHandlers(container.db)
    again = PatternLiked(
        pattern_id=pattern["id"], creator_id=maker.user.id, user_id=fan.user.id, likes=1
    )
    await handlers.pattern_liked([again])
    await handlers.pattern_liked([again, again])
    assert await achievements(client, maker) == earned_now


async def test_remixes_and_collaborations_are_firsts_for_both_artists(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "First Maker")
    remixer = await make_artist(container, "First Remixer")
    original = await create(client, maker)
    own = await remix(client, maker, original["id"], remixType="variation", feedback="faster")
    assert own.status_code == 201, own.text
    assert "first_remixed" not in await achievements(client, maker)  # your own: not a first

    theirs = await remix(client, remixer, original["id"], remixType="variation", feedback="dreamy")
    assert theirs.status_code == 201, theirs.text
    assert "first_remixed" in await achievements(client, maker)
    assert "first_remix" in await achievements(client, remixer)
    assert "first_remix" not in await achievements(client, maker)

    requests = "/api/community/collaboration-requests"
    asked = await client.post(
        f"/api/community/collaborations/{maker.user.id}/request", headers=remixer.headers
    )
    assert asked.status_code == 201, asked.text
    assert "first_collaboration" not in await achievements(client, maker)  # asked is not yet
    accepted = await client.post(f"{requests}/{asked.json()['id']}/accept", headers=maker.headers)
    assert accepted.status_code == 200, accepted.text
    for artist in (maker, remixer):
        assert (await achievements(client, artist)).count("first_collaboration") == 1


async def test_an_erased_artist_earns_nothing_and_nothing_fails(container: Container) -> None:
    gone = await make_artist(container, "Gone Maker")
    await container.erasure.delete(gone.user.id)
    event = PatternLiked(pattern_id="p", creator_id=gone.user.id, user_id="u", likes=1)
    await AchievementHandlers(container.db).pattern_liked([event])
