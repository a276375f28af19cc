"""Erasure really erases, and the export holds all of one artist's data and nobody else's."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from notalabel.container import Container
from notalabel.identity.models import IdentitySession
from notalabel.models import Base
from notalabel.patterns.models import Pattern
from notalabel.social.models import Block, Follow
from notalabel.users.events import UserDeleted
from notalabel.users.exceptions import UserNotFound
from tests.identity.factories import say, session_at_confirmation
from tests.users.factories import make_artist

ME = "/api/users/me"
# Rows keyed SET NULL on delete, which AccountErasure.delete removes itself.
ERASED_EXPLICITLY = {"identity_sessions"}


async def onboarded(client: httpx.AsyncClient, name: str) -> tuple[str, dict[str, Any]]:
    """Onboard `name`; return the session id and the final answer."""
    session_id = await session_at_confirmation(client, name)
    done = await say(client, session_id, "yes")
    assert done["nextStep"] == "completed", done
    return session_id, done


def bearer(done: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {done['token']}"}


async def count(container: Container, query: Any) -> int:
    async with container.db.transaction() as tx:
        return int(await tx.scalar(query) or 0)


def record_deletions(container: Container) -> list[UserDeleted]:
    seen: list[UserDeleted] = []

    async def handler(event: UserDeleted) -> None:
        seen.append(event)

    container.bus.subscribe(UserDeleted, handler)
    return seen


def test_every_reference_to_a_user_is_erased_with_it() -> None:
    loose = [
        f"{table.name}.{fk.parent.name} ({fk.ondelete})"
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name == "users"
        and fk.ondelete != "CASCADE"
        and table.name not in ERASED_EXPLICITLY
    ]
    assert loose == [], "add ON DELETE CASCADE, or erase these rows in AccountErasure.delete"


async def test_delete_erases_the_onboarding_transcripts(
    client: httpx.AsyncClient, container: Container
) -> None:
    session_id, done = await onboarded(client, "Transcribed")
    other_session, _ = await onboarded(client, "Stays")
    by_id = select(func.count()).select_from(IdentitySession)
    assert await count(container, by_id.where(IdentitySession.id == session_id)) == 1

    assert (await client.delete(ME, headers=bearer(done))).status_code == 204

    assert await count(container, by_id.where(IdentitySession.id == session_id)) == 0
    assert await count(container, by_id.where(IdentitySession.id == other_session)) == 1


async def test_delete_publishes_user_deleted_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    seen = record_deletions(container)
    artist = await make_artist(container, "Announced")
    assert (await client.delete(ME, headers=artist.headers)).status_code == 204
    assert [event.user_id for event in seen] == [artist.user.id]


async def test_deleting_an_unknown_id_is_user_not_found(container: Container) -> None:
    seen = record_deletions(container)
    bystander = await make_artist(container, "Bystander")
    with pytest.raises(UserNotFound):
        await container.erasure.delete("usr_nobody")
    with pytest.raises(UserNotFound):
        await container.erasure.export("usr_nobody")
    assert seen == []
    await container.erasure.delete(bystander.user.id)
    with pytest.raises(UserNotFound):
        await container.erasure.delete(bystander.user.id)
    assert [event.user_id for event in seen] == [bystander.user.id]


async def test_export_is_complete_and_only_the_artists_own(
    client: httpx.AsyncClient, container: Container
) -> None:
    session_id, done = await onboarded(client, "Exported")
    other_session, other_done = await onboarded(client, "Neighbour")
    user_id, other_id = done["user"]["id"], other_done["user"]["id"]
    fan = await make_artist(container, "Fan")
    blocked = await make_artist(container, "Blocked")
    blocker = await make_artist(container, "Blocker")
    async with container.db.transaction() as tx:
        tx.add_all(
            [
                Follow(follower_id=user_id, followee_id=other_id),
                Follow(follower_id=fan.user.id, followee_id=user_id),
                Follow(follower_id=fan.user.id, followee_id=other_id),
                Block(blocker_id=user_id, blocked_id=blocked.user.id),
                Block(blocker_id=blocker.user.id, blocked_id=user_id),
                Block(blocker_id=other_id, blocked_id=fan.user.id),
            ]
        )

    response = await client.get(ME + "/export", headers=bearer(done))
    assert response.status_code == 200, response.text
    body = response.json()

    assert body["exportedAt"]
    assert body["user"]["id"] == user_id
    assert body["user"]["artist_name"] == "Exported"
    assert {"password_hash", "artist_name_key", "email_key"}.isdisjoint(body["user"])
    assert [p["id"] for p in body["patterns"]] == [done["signaturePattern"]["id"]]
    assert all(p["creator_id"] == user_id for p in body["patterns"])
    assert [d["user_id"] for d in body["devices"]] == [user_id]
    assert [r["id"] for r in body["following"]] == [other_id]
    assert [r["artistName"] for r in body["following"]] == ["Neighbour"]
    assert [r["id"] for r in body["followers"]] == [fan.user.id]
    assert all(r["since"] for r in body["following"] + body["followers"])
    assert [r["id"] for r in body["blocked"]] == [blocked.user.id]
    assert blocker.user.id not in response.text

    sessions = body["identitySessions"]
    assert [s["id"] for s in sessions] == [session_id]
    assert other_session not in response.text
    assert sessions[0]["user_responses"][0]["input"].startswith("I love")
    generated = sessions[0]["generated_patterns"]
    assert generated
    assert all("model" not in p for p in generated)
    assert all(p["strudelCode"] for p in generated)
    assert {"tentative_name_key", "version"}.isdisjoint(sessions[0])


async def test_export_includes_sections_other_features_add(container: Container) -> None:
    artist = await make_artist(container, "Sectioned")

    async def pattern_count(tx: AsyncSession, user_id: str) -> int:
        return int(await tx.scalar(select(func.count()).where(Pattern.creator_id == user_id)) or 0)

    container.erasure.add_export_section("patternCount", pattern_count)
    body = await container.erasure.export(artist.user.id)
    assert body["patternCount"] == 0
    with pytest.raises(ValueError, match="already exists"):
        container.erasure.add_export_section("patternCount", pattern_count)
    with pytest.raises(ValueError, match="already exists"):
        container.erasure.add_export_section("user", pattern_count)


@pytest.mark.parametrize(
    "key",
    [
        "exportedAt",
        "user",
        "patterns",
        "devices",
        "following",
        "followers",
        "blocked",
        "identitySessions",
    ],
)
async def test_a_section_cannot_replace_core_data(container: Container, key: str) -> None:
    async def nothing(tx: AsyncSession, user_id: str) -> None:
        return None

    with pytest.raises(ValueError, match="already exists"):
        container.erasure.add_export_section(key, nothing)


async def test_export_is_plain_json(container: Container) -> None:
    artist = await make_artist(container, "PlainJson")
    body = await container.erasure.export(artist.user.id)
    # datetimes become ISO strings in the export itself, not only in FastAPI's encoder
    decoded = json.loads(json.dumps(body))
    assert decoded == body
    assert decoded["user"]["created_at"].startswith(str(artist.user.created_at.year))
