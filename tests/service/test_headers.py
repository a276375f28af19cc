"""Security headers, Content-Security-Policy, CORS allow-list and the docs switch."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import httpx
import pytest
from fastapi.responses import HTMLResponse
from typer.testing import CliRunner

from notalabel import cli
from notalabel.config import Settings
from notalabel.db import Database
from notalabel.http_security import HTML_CSP
from tests.service.apps import derive, production, serve


async def test_every_response_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for response in (
        await client.get("/api/health"),
        await client.get("/api/users/me"),
        await client.get("/api/no-such-route"),
        await client.get("/readyz"),
    ):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        assert "server" not in response.headers
    for path in ("/api/health", "/api/users/me", "/api/no-such-route"):
        assert (await client.get(path)).headers["cache-control"] == "no-store"


async def test_html_gets_a_strict_policy(settings: Settings, database: Database) -> None:
    async with serve(settings, database) as (app, _, client):
        app.add_api_route("/page", lambda: HTMLResponse("<p>hi</p>"))
        response = await client.get("/page")
        assert response.headers["content-security-policy"] == HTML_CSP
        assert "content-security-policy" not in (await client.get("/api/health")).headers


async def test_docs_allow_exactly_their_cdn_and_inline_scripts(
    settings: Settings, database: Database
) -> None:
    async with serve(derive(settings, docs_enabled=True), database) as (_, _, client):
        response = await client.get("/docs")
        redoc = await client.get("/redoc")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in _directive(policy, "script-src")
    assert "https://cdn.jsdelivr.net" in _directive(policy, "script-src")
    inline = re.findall(rb"<script>(.*?)</script>", response.content, re.DOTALL)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in _directive(policy, "script-src")
    assert "https://fonts.gstatic.com" in _directive(
        redoc.headers["content-security-policy"], "font-src"
    )


async def test_docs_are_off_in_production_unless_asked(
    settings: Settings, database: Database
) -> None:
    quiet = production(settings, "redis://127.0.0.1:1/0")
    async with serve(quiet, database) as (app, _, client):
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (await client.get(path)).status_code == 404
        assert "/api/health" in app.openapi()["paths"]
    loud = production(settings, "redis://127.0.0.1:1/0", docs_enabled=True)
    async with serve(loud, database) as (_, _, client):
        assert (await client.get("/openapi.json")).status_code == 200


async def test_no_cors_headers_without_an_allow_list(client: httpx.AsyncClient) -> None:
    response = await client.options("/api/users/me", headers=_preflight("https://evil.example"))
    assert "access-control-allow-origin" not in response.headers
    response = await client.get("/api/health", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


async def test_cors_allows_only_the_listed_origins(settings: Settings, database: Database) -> None:
    listed = derive(settings, cors_origins="https://app.example, http://localhost:5173")
    async with serve(listed, database) as (_, _, client):
        allowed = await client.options("/api/users/me", headers=_preflight("https://app.example"))
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert allowed.headers["access-control-allow-credentials"] == "true"
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        simple = await client.get("/api/health", headers={"origin": "http://localhost:5173"})
        assert simple.headers["access-control-allow-origin"] == "http://localhost:5173"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
        other = await client.options("/api/users/me", headers=_preflight("https://evil.example"))
        assert "access-control-allow-origin" not in other.headers


async def test_a_cors_wildcard_never_allows_credentials(
    settings: Settings, database: Database
) -> None:
    async with serve(derive(settings, cors_origins="*"), database) as (_, _, client):
        response = await client.get("/api/health", headers={"origin": "https://any.example"})
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize("origin", ["not-an-origin", "https://app.example/path", "ftp://x.y"])
def test_a_malformed_cors_origin_is_a_settings_error(origin: str) -> None:
    with pytest.raises(ValueError, match="NAL_CORS_ORIGINS"):
        Settings(_env_file=None, cors_origins=origin)  # type: ignore[call-arg]


def test_serve_hides_the_server_header_and_ignores_uvicorn_proxy_headers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(cli.app, ["serve"], env={"NAL_DATA_DIR": str(tmp_path / "d")})
    assert result.exit_code == 0, result.output
    assert calls[0]["server_header"] is False
    assert calls[0]["proxy_headers"] is False


def _preflight(origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
    }


def _directive(policy: str, name: str) -> str:
    for part in policy.split(";"):
        if part.strip().startswith(name + " "):
            return part.strip()
    raise AssertionError(f"{name} missing from {policy!r}")
