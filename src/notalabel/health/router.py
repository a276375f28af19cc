"""`/api/health`, `/readyz` and `/metrics`."""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from notalabel import __version__
from notalabel.config import Mode
from notalabel.deps import ContainerDep
from notalabel.errors import NotFound, Unauthorized
from notalabel.schemas import ApiModel, ErrorResponse
from notalabel.serving import METRICS_DIR_VARIABLE

logger = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


class HealthOut(ApiModel):
    """Liveness answer; the terminal client reads `status`."""

    status: str
    service: str
    version: str
    mode: str


@router.get("/api/health", response_model=HealthOut)
async def health(container: ContainerDep) -> HealthOut:
    """The process is up."""
    return HealthOut(
        status="ok", service="not-a-label", version=__version__, mode=container.settings.mode
    )


class ReadyOut(ApiModel):
    """Every dependency answered."""

    status: str
    checks: dict[str, str]


@router.get(
    "/readyz",
    response_model=ReadyOut,
    responses={503: {"model": ErrorResponse, "description": "a dependency is down"}},
)
async def ready(container: ContainerDep) -> JSONResponse:
    """The database (and Redis, when configured) answer."""
    checks = {"database": await _probe("database", container.db.ping())}
    if container.redis is not None:
        checks["redis"] = await _probe("redis", container.redis.ping())
    ok = all(value == "ok" for value in checks.values())
    if ok:
        return JSONResponse({"status": "ready", "checks": checks})
    body = {"error": {"code": "not_ready", "message": "A dependency is down.", "details": checks}}
    return JSONResponse(body, status_code=503)


async def _probe(name: str, check: Awaitable[Any]) -> str:
    try:
        await check
    except Exception as exc:
        logger.warning("readiness: dependency down", extra={"dependency": name, "error": str(exc)})
        return "down"
    return "ok"


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, container: ContainerDep) -> Response:
    """Prometheus exposition; needs the NAL_METRICS_TOKEN bearer token when one is set."""
    settings = container.settings
    if settings.metrics_token is None:
        if settings.mode is Mode.PRODUCTION:
            # not configured: in production the route does not exist
            raise NotFound("No such route.")
    elif not _bearer_matches(request.headers.get("authorization", ""), settings.metrics_token):
        raise Unauthorized("/metrics needs the metrics bearer token.")
    return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)


def _registry() -> CollectorRegistry:
    # several workers (serving.share_metrics): the sum of every worker's files
    if os.environ.get(METRICS_DIR_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return registry
    return REGISTRY


def _bearer_matches(header: str, expected: str) -> bool:
    scheme, _, token = header.partition(" ")
    # constant time, so the token cannot be guessed byte by byte from response times
    return scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), expected.encode()
    )
