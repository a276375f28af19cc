"""Health, readiness, metrics, OpenAPI, settings and event forwarding."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from prometheus_client import generate_latest
from pydantic import ValidationError

from notalabel.app import create_app
from notalabel.config import Mode, Settings
from notalabel.container import Container
from tests.conftest import TEST_VOICEPRINT_KEY
from tests.identity.factories import onboard
from tests.outbox import streamed


async def test_health_reports_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["x-request-id"]


async def test_ready_checks_database_and_redis(
    client: httpx.AsyncClient, container: Container
) -> None:
    body = (await client.get("/readyz")).json()
    assert body["checks"]["database"] == "ok"
    if container.redis is not None:
        assert body["checks"]["redis"] == "ok"


async def test_ready_is_503_when_the_database_is_down(
    client: httpx.AsyncClient, container: Container
) -> None:
    async def broken() -> None:
        raise ConnectionError("down")

    container.db.ping = broken  # type: ignore[method-assign]
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["details"]["database"] == "down"


async def test_metrics_count_requests(client: httpx.AsyncClient) -> None:
    await client.get("/api/health")
    # read the registry itself: production serves /metrics only with a token (test_metrics.py)
    text = generate_latest().decode()
    assert 'notalabel_http_requests_total{method="GET",route="/api/health",status="200"}' in text


async def test_openapi_documents_every_route(
    client: httpx.AsyncClient, settings: Settings, container: Container
) -> None:
    # production serves no /openapi.json unless NAL_DOCS_ENABLED (test_headers.py)
    spec = create_app(settings, container).openapi()
    paths = spec["paths"]
    for path in (
        "/api/auth/musical-identity/start",
        "/api/auth/musical-identity/process",
        "/api/auth/musical-identity/finalize",
        "/api/auth/musical-identity/session/{session_id}",
        "/api/users/me",
        "/api/generate-music",
        "/api/health",
    ):
        assert path in paths
        for operation in paths[path].values():
            assert (
                "200" in operation["responses"]
                or "201" in operation["responses"]
                or "204" in operation["responses"]
            )
    process = paths["/api/auth/musical-identity/process"]["post"]
    assert process["requestBody"]["content"]["application/json"]["schema"]
    assert "ErrorResponse" in json.dumps(process["responses"]["404"])
    assert (await client.get("/docs")).status_code == (200 if settings.serve_docs else 404)


@pytest.mark.parametrize("secret", [None, "changethis", "short-secret"])
def test_production_refuses_missing_or_weak_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="NAL_JWT_SECRET"):
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            mode=Mode.PRODUCTION,
            database_url="postgresql+asyncpg://localhost/db",
            redis_url="redis://localhost",
            jwt_secret=secret,
        )


def test_production_needs_postgres_and_redis() -> None:
    with pytest.raises(ValidationError, match="NAL_DATABASE_URL"):
        Settings(_env_file=None, mode=Mode.PRODUCTION, jwt_secret="s" * 40)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "production mode needs NAL_VOICEPRINT_KEY"),
        ("c2hvcnQ", "32 random bytes"),  # 5 bytes
        ("A" * 43, "32 random bytes"),  # 32 zero bytes
        ("not base64 at all!", "32 random bytes"),
    ],
)
def test_production_refuses_a_missing_or_weak_voiceprint_key(key: str | None, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Settings(
            _env_file=None,  # type: ignore[call-arg]
            mode=Mode.PRODUCTION,
            database_url="postgresql+asyncpg://localhost/db",
            redis_url="redis://localhost",
            jwt_secret="s" * 40,
            mail_backend="log",
            voiceprint_key=key,
        )


def test_embedded_voiceprint_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path).voiceprint_key_bytes  # type: ignore[call-arg]
    second = Settings(_env_file=None, data_dir=tmp_path).voiceprint_key_bytes  # type: ignore[call-arg]
    assert first == second
    assert len(first) == 32
    given = Settings(_env_file=None, voiceprint_key=TEST_VOICEPRINT_KEY)  # type: ignore[call-arg]
    assert given.voiceprint_key_bytes == b"voiceprint-test-key-0123456789ab"


def test_embedded_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = Settings(_env_file=None, data_dir=tmp_path).signing_secret  # type: ignore[call-arg]
    second = Settings(_env_file=None, data_dir=tmp_path).signing_secret  # type: ignore[call-arg]
    assert first == second
    assert len(first) >= 32


async def test_identity_created_is_on_the_redis_event_stream(
    client: httpx.AsyncClient, container: Container
) -> None:
    if container.redis is None:
        pytest.skip("needs Redis (production mode)")
    done = await onboard(client, "RedisListener")
    created = [
        json.loads(fields[b"payload"])
        for fields in await streamed(container)
        if fields[b"name"] == b"IdentityCreated"
    ]
    assert [event["user_id"] for event in created] == [done["user"]["id"]]
