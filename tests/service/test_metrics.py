"""/metrics: labels stay bounded whatever clients send; production needs a bearer token."""

from __future__ import annotations

import secrets

import httpx
import pytest

from notalabel.config import Settings
from notalabel.db import Database
from notalabel.observability import method_label
from tests.service.apps import derive, production, serve

TOKEN = "metrics-" + "t" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}


async def scrape(client: httpx.AsyncClient) -> str:
    """The exposition text."""
    response = await client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    return response.text


async def test_made_up_methods_and_paths_do_not_grow_the_metrics(
    settings: Settings, database: Database
) -> None:
    async with serve(derive(settings, metrics_token=TOKEN), database) as (_, _, client):

        async def junk() -> None:
            method = "X" + secrets.token_hex(6).upper()
            path = secrets.choice(["/api/health", f"/nowhere/{secrets.token_hex(8)}"])
            await client.request(method, path)

        for _ in range(10):
            await junk()
        before = await scrape(client)
        for _ in range(3000):
            await junk()
        after = await scrape(client)
    # only counter values grow a few digits; one new series per request would add ~1 MB
    assert abs(len(after) - len(before)) < 2000
    assert 'method="OTHER",route="unmatched"' in after
    assert 'method="OTHER",route="/api/health",status="405"' in after


def test_method_label_is_one_of_a_fixed_set() -> None:
    assert method_label("GET") == "GET"
    assert method_label("PATCH") == "PATCH"
    assert method_label("BREW") == "OTHER"
    assert method_label("get") == "OTHER"


async def test_production_hides_metrics_without_a_token_setting(
    settings: Settings, database: Database
) -> None:
    async with serve(production(settings, "redis://127.0.0.1:1/0"), database) as (_, _, client):
        assert (await client.get("/metrics")).status_code == 404
        assert (await client.get("/metrics", headers=AUTH)).status_code == 404


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong-token"}, 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        ({"Authorization": f"Bearer {TOKEN}x"}, 401),
        (AUTH, 200),
    ],
)
async def test_production_serves_metrics_to_the_token_alone(
    settings: Settings, database: Database, headers: dict[str, str], status: int
) -> None:
    configured = production(settings, "redis://127.0.0.1:1/0", metrics_token=TOKEN)
    async with serve(configured, database) as (_, _, client):
        response = await client.get("/metrics", headers=headers)
        assert response.status_code == status
        if status == 200:
            assert "notalabel_http_requests_total" in response.text


async def test_embedded_metrics_stay_open(settings: Settings, database: Database) -> None:
    embedded = derive(settings, mode="embedded", database_url=None, redis_url=None)
    async with serve(embedded, database) as (_, _, client):
        assert (await client.get("/metrics")).status_code == 200


def test_a_short_metrics_token_is_a_settings_error() -> None:
    with pytest.raises(ValueError, match="metrics_token"):
        Settings(_env_file=None, metrics_token="short")  # type: ignore[call-arg]
