"""The public profile tells a signed-in caller how they stand to the artist."""

from __future__ import annotations

import httpx

from notalabel.container import Container
from tests.users.factories import make_artist


async def test_anonymous_callers_get_no_viewer_relation(
    client: httpx.AsyncClient, container: Container
) -> None:
    await make_artist(container, "Lonely Star")
    body = (await client.get("/api/users/lonely%20star")).json()
    assert body["artistName"] == "Lonely Star"
    assert body["viewer"] is None


async def test_the_viewer_relation_follows_follows_and_unfollows(
    client: httpx.AsyncClient, container: Container
) -> None:
    fan = await make_artist(container, "Fan Viewer")
    idol = await make_artist(container, "Idol Viewed")
    profile = f"/api/users/{idol.user.artist_name}"

    before = (await client.get(profile, headers=fan.headers)).json()
    assert before["viewer"] == {"isSelf": False, "following": False}
    assert (await client.post(f"/api/users/{idol.user.id}/follow", headers=fan.headers)).is_success
    after = (await client.get(profile, headers=fan.headers)).json()
    assert after["viewer"] == {"isSelf": False, "following": True}
    assert after["counts"]["followers"] == 1
    # the relation is the caller's, not the artist's: the idol does not follow the fan back
    back = (await client.get(f"/api/users/{fan.user.id}", headers=idol.headers)).json()
    assert back["viewer"] == {"isSelf": False, "following": False}
    assert (
        await client.delete(f"/api/users/{idol.user.id}/follow", headers=fan.headers)
    ).is_success
    gone = (await client.get(profile, headers=fan.headers)).json()
    assert gone["viewer"] == {"isSelf": False, "following": False}


async def test_an_artist_sees_their_own_profile_as_self(
    client: httpx.AsyncClient, container: Container
) -> None:
    me = await make_artist(container, "Self Seer")
    body = (await client.get("/api/users/self%20seer", headers=me.headers)).json()
    assert body["viewer"] == {"isSelf": True, "following": False}
    assert (await client.get("/api/users/me", headers=me.headers)).json()["viewer"] is None


async def test_a_block_still_hides_the_profile_from_both_sides(
    client: httpx.AsyncClient, container: Container
) -> None:
    blocker = await make_artist(container, "Blocker Side")
    blocked = await make_artist(container, "Blocked Side")
    assert (
        await client.post(f"/api/users/{blocked.user.id}/block", headers=blocker.headers)
    ).is_success
    for viewer, target in ((blocker, blocked), (blocked, blocker)):
        answer = await client.get(f"/api/users/{target.user.id}", headers=viewer.headers)
        assert answer.status_code == 404
