"""NUL and other control characters in any text input answer 422, never a 500."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest

from notalabel.config import Settings
from notalabel.container import Container
from tests.contract.openapi_walk import (
    TextInput,
    body_with,
    openapi_document,
    sample_path,
    text_inputs,
)
from tests.users.factories import make_artist

BAD_VALUES = ("a\x00b", "\x1b[31m", "x\x7f", "\x85", "\ud800")


async def _send(
    client: httpx.AsyncClient, target: TextInput, value: str, headers: dict[str, str]
) -> httpx.Response:
    if target.where == "body":
        # ensure_ascii keeps a lone surrogate as a \\ud800 escape, as a client would send it
        content = json.dumps(body_with(target.name, value)).encode()
        return await client.request(
            target.method,
            sample_path(target.path, "", ""),
            content=content,
            headers={**headers, "content-type": "application/json"},
        )
    if target.where == "path":
        url = sample_path(target.path, target.name, quote(value, safe="", errors="surrogatepass"))
        return await client.request(target.method, url, headers=headers)
    path = sample_path(target.path, "", "")
    return await client.request(target.method, path, params={target.name: value}, headers=headers)


def _named(target: TextInput, response: httpx.Response) -> bool:
    details = response.json()["error"]["details"] or []
    expected = target.name.split(".")[0] if target.where == "body" else target.name
    if target.where != "body":
        expected = f"{target.where}.{expected}"
    return any(d["type"] == "control_character" and d["field"] == expected for d in details)


async def test_every_text_input_refuses_control_characters(
    client: httpx.AsyncClient, container: Container, settings: Settings
) -> None:
    artist = await make_artist(container, "Controlled")
    schema = openapi_document(settings, container)
    targets = sorted(set(text_inputs(schema)), key=str)
    assert len(targets) > 30, targets  # the walk found the bodies, paths and queries
    failures = []
    for target in targets:
        values = BAD_VALUES if target.where == "body" else BAD_VALUES[:3]
        for value in values:
            response = await _send(client, target, value, artist.headers)
            if response.status_code != 422 or not _named(target, response):
                failures.append(f"{target} {value!r}: {response.status_code} {response.text}")
    assert not failures, "\n".join(failures)
    # the artist's token still works: nothing above reached a handler
    assert (await client.get("/api/users/me", headers=artist.headers)).status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/users/%00x", "path.user_ref"),
        ("/api/users/someone/followers?cursor=abc%00", "query.cursor"),
        ("/api/auth/musical-identity/session/a%0Ab", "path.session_id"),
    ],
)
async def test_parameters_refuse_control_characters(
    client: httpx.AsyncClient, url: str, field: str
) -> None:
    response = await client.get(url)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"artistName": "Two\nLines"}, "artistName"),
        ({"artistName": "Tab\tName"}, "artistName"),
        ({"location": "Berlin\nParis"}, "location"),
    ],
)
async def test_single_line_fields_refuse_line_breaks(
    client: httpx.AsyncClient, container: Container, body: dict[str, str], field: str
) -> None:
    artist = await make_artist(container, "OneLiner")
    url = "/api/users/me/artist-name" if "artistName" in body else "/api/users/me"
    method = "POST" if "artistName" in body else "PATCH"
    response = await client.request(method, url, json=body, headers=artist.headers)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"][0]["field"] == field


async def test_multi_line_text_keeps_line_breaks_and_tabs(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Poet")
    bio = "line one\n\tline two\r\nline three"
    response = await client.patch("/api/users/me", json={"bio": bio}, headers=artist.headers)
    assert response.status_code == 200, response.text
    assert response.json()["bio"] == bio
