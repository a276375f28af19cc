"""Renaming, exporting and deleting an account."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import inspect, select, text

from notalabel.auth import email_verification
from notalabel.container import Container
from notalabel.models import Base
from tests.identity.factories import onboard, session_at_confirmation
from tests.users.factories import make_artist

ME = "/api/users/me"


async def test_rename_follows_the_onboarding_rules(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "OldName")
    await make_artist(container, "TakenName")
    await session_at_confirmation(client, "HeldByOnboarding")

    renamed = await client.post(
        ME + "/artist-name", json={"artistName": "New Name"}, headers=artist.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["artistName"] == "New Name"
    assert (await client.get("/api/users/new%20name")).status_code == 200
    assert (await client.get("/api/users/oldname")).status_code == 404

    taken = await client.post(
        ME + "/artist-name", json={"artistName": "takenname"}, headers=artist.headers
    )
    assert taken.status_code == 409
    assert len(taken.json()["error"]["details"]["suggestions"]) == 3
    held = await client.post(
        ME + "/artist-name", json={"artistName": "HeldByOnboarding"}, headers=artist.headers
    )
    assert held.status_code == 409
    reserved = await client.post(
        ME + "/artist-name", json={"artistName": "admin"}, headers=artist.headers
    )
    assert reserved.status_code == 422
    assert reserved.json()["error"]["code"] == "invalid_artist_name"
    case_only = await client.post(
        ME + "/artist-name", json={"artistName": "NEW NAME"}, headers=artist.headers
    )
    assert case_only.status_code == 200
    assert case_only.json()["artistName"] == "NEW NAME"


async def test_export_contains_the_users_data_without_secrets(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = await onboard(client, "Exporter")
    headers = {"Authorization": f"Bearer {done['token']}"}
    # the mailed code is known in advance here; tests/auth reads real codes from real mail
    monkeypatch.setattr(email_verification, "new_code", lambda: "424242")
    await client.post(
        ME + "/credentials",
        json={"email": "export@example.com", "password": "a long passphrase"},
        headers=headers,
    )
    await client.post(ME + "/email/verify", json={"code": "424242"}, headers=headers)
    response = await client.get(ME + "/export", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["artist_name"] == "Exporter"
    assert body["user"]["email"] == "export@example.com"
    assert "password_hash" not in body["user"]
    assert [p["id"] for p in body["patterns"]] == [done["signaturePattern"]["id"]]
    assert len(body["devices"]) == 1
    assert body["identitySessions"][0]["user_responses"][0]["input"].startswith("I love")
    assert "argon2" not in response.text
    assert done["refreshToken"] not in response.text


async def test_delete_leaves_no_rows_that_reference_the_user(
    client: httpx.AsyncClient, container: Container
) -> None:
    done = await onboard(client, "Leaving")
    user_id = done["user"]["id"]
    headers = {"Authorization": f"Bearer {done['token']}"}
    friend = await make_artist(container, "Friend")
    relations = [
        await client.post(f"/api/users/{user_id}/follow", headers=friend.headers),
        await client.post(f"/api/users/{friend.user.id}/follow", headers=headers),
        await client.post(f"/api/users/{friend.user.id}/block", headers=headers),
        await client.post(f"/api/users/{user_id}/follow", headers=friend.headers),
    ]
    assert [r.status_code for r in relations] == [200, 200, 200, 403]

    assert (await client.delete(ME, headers=headers)).status_code == 204
    assert (await client.get(ME, headers=headers)).status_code == 401
    assert (await client.get(f"/api/users/{user_id}")).status_code == 404
    refresh = await client.post("/api/auth/refresh", json={"refreshToken": done["refreshToken"]})
    assert refresh.status_code == 401

    async with container.db.engine.connect() as conn:
        found = []
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if column.type.python_type is str and column.name != "artist_name":
                    hits = await conn.scalar(
                        select(text("count(*)")).select_from(table).where(column == user_id)
                    )
                    if hits:
                        found.append(f"{table.name}.{column.name}")
        assert found == []
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert "users" in names
    # the friend is untouched
    assert (await client.get(ME, headers=friend.headers)).status_code == 200
