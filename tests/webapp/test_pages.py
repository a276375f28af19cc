"""The pages, the player frame and their policies, over HTTP (no browser)."""

from __future__ import annotations

import httpx
import pytest

from notalabel.webapp import strudel
from tests.webapp.harness import sri_sha384, strudel_package

PAGES = [
    "/",
    "/signin",
    "/me",
    "/@DreamyBeats",
    "/@%E3%81%82%E3%81%84",
    "/@DreamyBeats/patterns",
    "/p/pat_123",
    "/discover",
]


@pytest.mark.parametrize("path", PAGES)
async def test_each_page_is_html_with_a_strict_policy(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    # only the app's own scripts: no inline script, no eval, no CDN on the pages themselves
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert '<script type="module" src="/static/js/pages/' in response.text
    assert "<script>" not in response.text


async def test_the_player_frame_is_sandboxed_and_admits_only_the_pinned_engine(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/player")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["sandbox"] == "allow-scripts"  # an opaque origin: no tokens, no app DOM
    sources = directives["script-src"].split()
    assert sources[0] == "'self'"
    assert sources[-2:] == ["'unsafe-eval'", "data:"]
    # exactly the pinned CDN files and one inline script (the import map), by hash
    assert set(sources[1:-2]) - {p.url for p in strudel.PINNED} == {
        s for s in sources if s.startswith("'sha256-")
    }
    assert len([s for s in sources if s.startswith("'sha256-")]) == 1
    assert all(p.url in sources for p in strudel.PINNED)
    assert "'unsafe-inline'" not in policy
    assert directives["frame-ancestors"] == "'self'"
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert f'content="{strudel.URL}" data-integrity="{strudel.INTEGRITY}"' in response.text


async def test_the_pinned_integrity_matches_the_npm_package() -> None:
    entry = strudel_package() / strudel.ENTRY
    assert sri_sha384(entry.read_bytes()) == strudel.INTEGRITY


async def test_static_modules_are_served_with_a_javascript_type(client: httpx.AsyncClient) -> None:
    response = await client.get("/static/js/api.mjs")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert (await client.get("/static/app.css")).status_code == 200


async def test_unknown_paths_still_answer_the_json_error_shape(client: httpx.AsyncClient) -> None:
    for path in ("/nope", "/static/nope.js", "/api/nope"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
