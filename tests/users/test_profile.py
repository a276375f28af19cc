"""Public and private profiles, and profile edits."""

from __future__ import annotations

import httpx
import pytest

from notalabel.config import Settings
from notalabel.container import Container
from tests.contract.openapi_walk import openapi_document
from tests.users.factories import make_artist

ME = "/api/users/me"
PRIVATE = {"email", "preferences", "devices", "hasPassword", "loginMethod", "lastLoginAt"}


async def test_public_profile_by_id_or_name_hides_private_fields(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Public Face")
    by_id = await client.get(f"/api/users/{artist.user.id}")
    by_name = await client.get("/api/users/public%20face")
    assert by_id.status_code == by_name.status_code == 200
    assert by_id.json() == by_name.json()
    body = by_id.json()
    assert body["artistName"] == "Public Face"
    assert body["counts"] == {
        "followers": 0,
        "following": 0,
        "patterns": 0,
        "likesReceived": 0,
        "plays": 0,
    }
    assert not PRIVATE & set(body)
    for field in ("bio", "avatar", "location", "website", "socialLinks", "musicDNA"):
        assert field in body
    assert "joinedAt" in body
    assert "achievements" in body


async def test_me_has_private_fields(client: httpx.AsyncClient, container: Container) -> None:
    artist = await make_artist(container, "Private")
    body = (await client.get(ME, headers=artist.headers)).json()
    assert set(body) >= PRIVATE
    assert body["preferences"]["collaborationOpenness"] == 5


async def test_unknown_profile_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/users/nobody-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "user_not_found"


async def test_patch_updates_only_what_is_sent(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Editor")
    first = await client.patch(
        ME,
        headers=artist.headers,
        json={
            "bio": "  Beats at dawn  ",
            "avatar": "🎧",
            "location": "Lisbon",
            "website": "https://editor.example",
            "socialLinks": {"spotify": "https://open.spotify.com/artist/1", "twitter": "@editor"},
            "preferences": {
                "preferredGenres": ["house", "lo-fi"],
                "collaborationOpenness": 9,
                "notifications": {"communityUpdates": True},
            },
        },
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["bio"], body["avatar"], body["location"]) == ("Beats at dawn", "🎧", "Lisbon")
    assert body["socialLinks"] == {
        "spotify": "https://open.spotify.com/artist/1",
        "twitter": "@editor",
    }
    prefs = body["preferences"]
    assert prefs["preferredGenres"] == ["house", "lo-fi"]
    assert prefs["collaborationOpenness"] == 9
    assert prefs["notifications"]["communityUpdates"] is True
    assert prefs["notifications"]["newFollowers"] is True  # untouched
    second = await client.patch(
        ME, headers=artist.headers, json={"location": None, "socialLinks": {"twitter": None}}
    )
    body = second.json()
    assert body["location"] is None
    assert body["bio"] == "Beats at dawn"
    assert body["socialLinks"] == {"spotify": "https://open.spotify.com/artist/1"}
    public = (await client.get(f"/api/users/{artist.user.id}")).json()
    assert public["bio"] == "Beats at dawn"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"bio": "x" * 301}, "bio"),
        ({"avatar": "not an emoji"}, "avatar"),
        ({"avatar": "http://insecure.example/a.png"}, "avatar"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"socialLinks": {"instagram": "https://evil.example/me"}}, "socialLinks.instagram"),
        ({"socialLinks": {"myspace": "@me"}}, "socialLinks.myspace"),
        ({"preferences": {"preferredGenres": ["polka"]}}, "preferences.preferredGenres.0"),
        ({"preferences": {"collaborationOpenness": 11}}, "preferences.collaborationOpenness"),
        ({"preferences": {"collaborationOpenness": 0}}, "preferences.collaborationOpenness"),
        ({"preferences": {"shareByDefault": "maybe"}}, "preferences.shareByDefault"),
        ({"preferences": {"shareByDefault": "yes"}}, "preferences.shareByDefault"),
        ({"preferences": {"allowVoiceAuth": 1}}, "preferences.allowVoiceAuth"),
        (
            {"preferences": {"notifications": {"newFollowers": "true"}}},
            "preferences.notifications.newFollowers",
        ),
        ({"website": 'https://example.com/"onmouseover="x'}, "website"),
        ({"website": "https://example.com/<script>"}, "website"),
        ({"website": "https://example.com\\@evil.example"}, "website"),
        ({"website": "https://exa mple.com"}, "website"),
        ({"website": "https://example.com/\x07"}, "website"),
        ({"website": "https://spotify.com@evil.example/"}, "website"),
        ({"website": "https://localhost/"}, "website"),
        ({"avatar": "https://cdn.example/a.png'"}, "avatar"),
        ({"avatar": "https://cdn.example/<a>.png"}, "avatar"),
        ({"socialLinks": {"spotify": 'https://open.spotify.com/"x'}}, "socialLinks.spotify"),
        ({"location": "Berlin\nParis"}, "location"),
        ({"artistName": "Sneaky"}, "artistName"),
        ({"email": "x@example.com"}, "email"),
    ],
)
async def test_bad_edits_are_422_with_the_field_and_change_nothing(
    client: httpx.AsyncClient, container: Container, payload: dict[str, object], field: str
) -> None:
    artist = await make_artist(container, "Careful")
    before = (await client.get(ME, headers=artist.headers)).json()
    response = await client.patch(ME, headers=artist.headers, json=payload)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert any(d["field"] == field for d in error["details"]), error
    assert (await client.get(ME, headers=artist.headers)).json() == before


async def test_genre_cannot_be_both_liked_and_disliked(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Torn")
    response = await client.patch(
        ME,
        headers=artist.headers,
        json={"preferences": {"preferredGenres": ["jazz"], "dislikedGenres": ["jazz"]}},
    )
    assert response.status_code == 422
    assert "both preferred and disliked" in response.text


async def test_patch_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.patch(ME, json={"bio": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Access denied. No token provided."


async def test_links_that_are_well_formed_https_urls_are_kept(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Linked")
    body = {
        "website": "https://example.com/music?tab=new#top",
        "avatar": "https://cdn.example.com/a%20b.png",
        "socialLinks": {"spotify": "https://open.spotify.com/artist/1"},
        "preferences": {"shareByDefault": False, "notifications": {"newFollowers": True}},
    }
    response = await client.patch(ME, headers=artist.headers, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["website"] == body["website"]
    assert response.json()["preferences"]["notifications"]["newFollowers"] is True


def test_schema_says_profile_text_is_plain_text(settings: Settings, container: Container) -> None:
    schemas = openapi_document(settings, container)["components"]["schemas"]
    update = schemas["ProfileUpdate"]["properties"]
    for field in ("bio", "location"):
        assert "plain text" in str(update[field]).lower()
