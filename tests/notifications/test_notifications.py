"""Notifications: who did what to an artist's patterns and account, grouped, idempotent."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.events import outbox
from notalabel.notifications import store
from notalabel.notifications.models import Kind
from notalabel.patterns.events import PatternLiked
from tests.outbox import announce
from tests.patterns.factories import create, url
from tests.users.factories import Artist, make_artist

NOTES = "/api/notifications"


async def notes(client: httpx.AsyncClient, who: Artist, **params: Any) -> dict[str, Any]:
    response = await client.get(NOTES, headers=who.headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def like(client: httpx.AsyncClient, who: Artist, pattern_id: str) -> None:
    response = await client.put(url(pattern_id, "like"), headers=who.headers)
    assert response.status_code == 200, response.text


def liked(pattern: dict[str, Any], by: Artist, creator: Artist, **extra: Any) -> PatternLiked:
    return PatternLiked(
        pattern_id=pattern["id"], creator_id=creator.user.id, user_id=by.user.id, likes=1, **extra
    )


async def test_a_like_tells_the_creator_and_not_the_liker(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Maker")
    fan = await make_artist(container, "Fan One")
    pattern = await create(client, maker, title="Night Drive")
    await like(client, maker, pattern["id"])  # your own like tells you nothing
    await like(client, fan, pattern["id"])
    body = await notes(client, maker)
    assert body["unreadCount"] == 1
    [note] = body["items"]
    assert note["kind"] == "pattern_liked"
    assert note["message"] == "Fan One liked “Night Drive”"
    assert (note["subjectId"], note["subjectTitle"]) == (pattern["id"], "Night Drive")
    assert [a["artistName"] for a in note["actors"]] == ["Fan One"]
    assert (note["actorCount"], note["read"]) == (1, False)
    assert (await notes(client, fan))["items"] == []


async def test_a_burst_of_likes_is_one_notification(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Burst Maker")
    fans = [await make_artist(container, f"Fan {n:02}") for n in range(12)]
    pattern = await create(client, maker, title="Loop")
    await asyncio.gather(*(like(client, fan, pattern["id"]) for fan in fans))
    body = await notes(client, maker)
    [note] = body["items"]
    assert note["actorCount"] == 12
    assert len(note["actors"]) == 3
    first = note["actors"][0]["artistName"]
    assert note["message"] == f"{first} and 11 others liked “Loop”"
    # unliking and liking again adds no one, and is no failure either
    await client.delete(url(pattern["id"], "like"), headers=fans[0].headers)
    await like(client, fans[0], pattern["id"])
    assert (await notes(client, maker))["items"][0]["actorCount"] == 12
    pending = sa.select(sa.func.count()).where(outbox.OUTBOX.c.delivered_at.is_(None))
    assert await container.db.read(lambda conn: conn.execute(pending).scalar_one()) == 0


async def test_a_redelivered_event_changes_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Twice Maker")
    fan = await make_artist(container, "Twice Fan")
    pattern = await create(client, maker, title="Again")
    event = liked(pattern, fan, maker)
    await announce(container, [event])
    await announce(container, [event])
    [note] = (await notes(client, maker))["items"]
    assert note["actorCount"] == 1
    await client.post(f"{NOTES}/read", json={"all": True}, headers=maker.headers)
    await announce(container, [event])  # even after it was read
    assert len((await notes(client, maker))["items"]) == 1


async def test_an_old_group_is_not_reopened(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Old Maker")
    fans = [await make_artist(container, f"Old Fan {n}") for n in range(2)]
    pattern = await create(client, maker, title="Slow")
    long_ago = utcnow() - timedelta(hours=2)
    await announce(container, [liked(pattern, fans[0], maker, occurred_at=long_ago)])
    await announce(container, [liked(pattern, fans[1], maker)])
    items = (await notes(client, maker))["items"]
    assert [n["actors"][0]["artistName"] for n in items] == ["Old Fan 1", "Old Fan 0"]


async def test_settings_and_blocks_are_respected(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Quiet Maker")
    fan = await make_artist(container, "Loud Fan")
    pattern = await create(client, maker, title="Hush")
    prefs = {"preferences": {"notifications": {"patternLikes": False}}}
    assert (await client.patch("/api/users/me", json=prefs, headers=maker.headers)).is_success
    await like(client, fan, pattern["id"])
    follow = await client.post(f"/api/users/{fan.user.id}/follow", headers=maker.headers)
    assert follow.is_success, follow.text
    back = await client.post(f"/api/users/{maker.user.id}/follow", headers=fan.headers)
    assert back.is_success, back.text
    [note] = (await notes(client, maker))["items"]
    assert (note["kind"], note["message"]) == ("new_follower", "Loud Fan started following you")
    assert note["subjectId"] is None

    blocked = await make_artist(container, "Blocked Fan")
    await client.post(f"/api/users/{blocked.user.id}/block", headers=maker.headers)
    prefs = {"preferences": {"notifications": {"patternLikes": True}}}
    await client.patch("/api/users/me", json=prefs, headers=maker.headers)
    await announce(container, [liked(pattern, blocked, maker)])
    assert len((await notes(client, maker))["items"]) == 1


async def test_comments_remixes_and_collaborations_notify(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Social Maker")
    other = await make_artist(container, "Chatty")
    pattern = await create(client, maker, title="Seed", isRemixable=True)
    said = await client.post(
        url(pattern["id"], "comments"), json={"body": "great groove"}, headers=other.headers
    )
    assert said.status_code == 201, said.text
    remix = await client.post(
        url(pattern["id"], "remix"),
        json={"remixType": "variation", "feedback": "more bass"},
        headers=other.headers,
    )
    assert remix.status_code == 201, remix.text
    asked = await client.post(
        f"/api/community/collaborations/{maker.user.id}/request",
        json={"message": "jam?"},
        headers=other.headers,
    )
    assert asked.status_code == 201, asked.text
    accepted = await client.post(
        f"/api/community/collaboration-requests/{asked.json()['id']}/accept",
        headers=maker.headers,
    )
    assert accepted.is_success, accepted.text
    messages = {n["kind"]: n["message"] for n in (await notes(client, maker))["items"]}
    assert messages == {
        "pattern_commented": "Chatty commented on “Seed”",
        "pattern_remixed": "Chatty remixed “Seed”",
        "collaboration_requested": "Chatty asked to collaborate with you",
    }
    [back] = (await notes(client, other))["items"]
    assert back["message"] == "Social Maker accepted your collaboration request"


async def test_deleted_patterns_and_artists_read_as_gone(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Gone Maker")
    fan = await make_artist(container, "Gone Fan")
    pattern = await create(client, maker, title="Ephemeral")
    await like(client, fan, pattern["id"])
    assert (await client.delete(url(pattern["id"]), headers=maker.headers)).status_code == 204
    [note] = (await notes(client, maker))["items"]
    assert (note["subjectTitle"], note["message"]) == (None, "Gone Fan liked a deleted pattern")
    assert (await client.delete("/api/users/me", headers=fan.headers)).is_success
    [note] = (await notes(client, maker))["items"]
    assert note["actors"] == []
    assert note["message"] == "Someone liked a deleted pattern"


async def test_marking_read_some_or_all(client: httpx.AsyncClient, container: Container) -> None:
    maker = await make_artist(container, "Reader")
    stranger = await make_artist(container, "Stranger")
    fans = [await make_artist(container, f"Reader Fan {n}") for n in range(3)]
    for fan in fans:
        await client.post(f"/api/users/{maker.user.id}/follow", headers=fan.headers)
        pattern = await create(client, fan, title=f"By {fan.user.artist_name}")
        await like(client, maker, pattern["id"])
        await like(client, stranger, pattern["id"])
    body = await notes(client, maker)
    [note] = body["items"]
    assert note["actorCount"] == 3
    theirs = (await notes(client, fans[0]))["items"]
    assert len(theirs) == 1
    # another artist's ids are ignored
    response = await client.post(
        f"{NOTES}/read", json={"ids": [theirs[0]["id"]]}, headers=maker.headers
    )
    assert response.json() == {"unreadCount": 1}
    assert (await notes(client, fans[0]))["unreadCount"] == 1
    response = await client.post(f"{NOTES}/read", json={"ids": [note["id"]]}, headers=maker.headers)
    assert response.json() == {"unreadCount": 0}
    unread = await client.get(f"{NOTES}/unread", headers=fans[1].headers)
    assert unread.json() == {"unreadCount": 1}
    everything = await client.post(f"{NOTES}/read", json={"all": True}, headers=fans[1].headers)
    assert everything.json() == {"unreadCount": 0}
    assert (await notes(client, fans[1]))["items"][0]["read"] is True


@pytest.mark.parametrize(
    "body", [{}, {"all": False}, {"ids": ["x"], "all": True}, {"ids": ["x"] * 101}, {"all": "yes"}]
)
async def test_bad_read_bodies_are_422(
    client: httpx.AsyncClient, container: Container, body: dict[str, Any]
) -> None:
    maker = await make_artist(container, "Bad Body")
    response = await client.post(f"{NOTES}/read", json=body, headers=maker.headers)
    assert response.status_code == 422, response.text
    assert "error" in response.json()


async def test_pages_follow_the_cursor_and_need_a_sign_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Paged")
    fans = [await make_artist(container, f"Paged Fan {n}") for n in range(5)]
    for fan in fans:
        pattern = await create(client, maker, title=f"For {fan.user.artist_name}")
        await like(client, fan, pattern["id"])
    first = await notes(client, maker, limit=2)
    second = await notes(client, maker, limit=2, cursor=first["nextCursor"])
    third = await notes(client, maker, limit=2, cursor=second["nextCursor"])
    titles = [n["subjectTitle"] for page in (first, second, third) for n in page["items"]]
    assert titles == [f"For Paged Fan {n}" for n in reversed(range(5))]
    assert third["nextCursor"] is None
    bad = await client.get(NOTES, params={"cursor": "nope"}, headers=maker.headers)
    assert bad.status_code in (400, 422)
    assert (await client.get(NOTES)).status_code == 401


async def test_one_batch_decides_each_event_as_if_it_came_alone(
    client: httpx.AsyncClient, container: Container
) -> None:
    # staged together, these reach the handler as one batch (one transaction)
    maker = await make_artist(container, "Batch Maker")
    quiet = await make_artist(container, "Batch Quiet")
    fans = [await make_artist(container, f"Batch Fan {n}") for n in range(2)]
    blocked = await make_artist(container, "Batch Blocked")
    pattern = await create(client, maker, title="Batch")
    hushed = await create(client, quiet, title="Hushed")
    prefs = {"preferences": {"notifications": {"patternLikes": False}}}
    assert (await client.patch("/api/users/me", json=prefs, headers=quiet.headers)).is_success
    blocking = await client.post(f"/api/users/{maker.user.id}/block", headers=blocked.headers)
    assert blocking.is_success, blocking.text
    first = liked(pattern, fans[0], maker)
    await announce(
        container,
        [
            first,
            liked(pattern, maker, maker),  # their own
            liked(pattern, blocked, maker),  # blocked the other way round
            liked(hushed, fans[0], quiet),  # their setting is off
            liked(pattern, fans[1], maker),
            first,  # delivered twice in one batch
        ],
    )
    body = await notes(client, maker)
    [note] = body["items"]
    assert body["unreadCount"] == 1
    assert note["actorCount"] == 2
    assert sorted(a["artistName"] for a in note["actors"]) == ["Batch Fan 0", "Batch Fan 1"]
    assert (await notes(client, quiet))["items"] == []


async def test_one_batch_spanning_the_group_window_starts_a_new_group(
    client: httpx.AsyncClient, container: Container
) -> None:
    maker = await make_artist(container, "Window Maker")
    fans = [await make_artist(container, f"Window Fan {n}") for n in range(4)]
    pattern = await create(client, maker, title="Window")
    now = utcnow()
    long_ago = now - timedelta(hours=2)
    await announce(container, [liked(pattern, fans[2], maker, occurred_at=long_ago)])

    def told(fan: Artist, at: datetime) -> store.Told:
        return store.Told(maker.user.id, Kind.PATTERN_LIKED, pattern["id"], fan.user.id, at)

    batch = [
        told(fans[0], long_ago),  # joins the stored group, which is old
        told(fans[1], now),  # more than an hour after it: a new group
        told(fans[0], long_ago),  # the first, delivered twice
        told(fans[0], now + timedelta(seconds=1)),  # not in the new group yet: joins it
        told(fans[1], now + timedelta(seconds=2)),  # in it already (liked again)
    ]
    done = await container.db.run(lambda conn: store.record_many(conn, batch))
    T, ALREADY = store.Outcome.TOLD, store.Outcome.ALREADY_TOLD  # noqa: N806
    assert [(r.outcome, r.unread) for r in done] == [
        (T, 1),
        (T, 2),
        (ALREADY, 2),
        (T, 2),
        (ALREADY, 2),
    ]
    # later events join the latest unread group, not an older one (even one that is in the
    # window of an event that comes late)
    await announce(container, [liked(pattern, fans[2], maker, occurred_at=now)])
    late = long_ago + timedelta(minutes=30)
    await announce(container, [liked(pattern, fans[3], maker, occurred_at=late)])
    body = await notes(client, maker)
    assert body["unreadCount"] == 2
    new, old = body["items"]
    assert new["actorCount"] == 4  # (the page names the first three)
    assert new["updatedAt"] == (now + timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert sorted(a["artistName"] for a in old["actors"]) == ["Window Fan 0", "Window Fan 2"]
    assert old["actorCount"] == 2
