"""The FastAPI application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from notalabel import __version__
from notalabel.auth.router import router as auth_router
from notalabel.auth.security_router import router as account_security_router
from notalabel.bodylimit import BodySizeLimitMiddleware
from notalabel.community.router import router as community_router
from notalabel.config import Settings
from notalabel.container import Container, build_container
from notalabel.conventions import install_conventions
from notalabel.discovery.router import router as discovery_router
from notalabel.engagement.router import router as engagement_router
from notalabel.errors import install_error_handlers
from notalabel.events.relay import stop as stop_task
from notalabel.generation.router import router as generation_router
from notalabel.health.router import router as health_router
from notalabel.http_security import SecurityHeadersMiddleware, add_cors
from notalabel.identity.router import router as identity_router
from notalabel.identity.skeleton import load_tables
from notalabel.migrate import upgrade
from notalabel.notifications.router import router as notifications_router
from notalabel.observability import RequestContextMiddleware, configure_logging
from notalabel.passkeys.router import router as passkeys_router
from notalabel.patterns.remix_router import router as remix_router
from notalabel.patterns.router import router as patterns_router
from notalabel.proxies import TrustedProxyMiddleware
from notalabel.ratelimit import RateLimitMiddleware
from notalabel.realtime.fanout import RedisFanout
from notalabel.realtime.router import router as realtime_router
from notalabel.routes import include_flat
from notalabel.serving import settle_collector
from notalabel.social.router import router as social_router
from notalabel.users.router import router as users_router
from notalabel.voice.router import router as voice_router
from notalabel.webapp.router import router as webapp_router
from notalabel.webapp.router import static_files

logger = logging.getLogger(__name__)


async def prune_sessions_forever(container: Container, interval_seconds: float) -> None:
    """Delete expired onboarding sessions now and then every interval; log, never die."""
    while True:
        try:
            removed = await container.identity.prune_expired()
            if removed:
                logger.info("pruned expired onboarding sessions", extra={"removed": removed})
        except Exception:
            logger.exception("pruning expired onboarding sessions failed")
        await asyncio.sleep(interval_seconds)


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    """Build the app; with no arguments (as `notalabel serve` calls it) it reads NAL_* settings."""
    if settings is None:
        settings = Settings()
        configure_logging(settings.log_level)
    wired = container or build_container(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.should_migrate_on_start:
            await upgrade(wired.db)
        await asyncio.to_thread(load_tables)
        settle_collector()
        # what a crash or a failing handler left in the outbox, then retries as they fall due
        relaying = asyncio.create_task(wired.relay.run_forever(settings.outbox_poll_seconds))
        listening = None
        if isinstance(wired.fanout, RedisFanout):
            listening = asyncio.create_task(wired.fanout.listen_forever())
        pruning = None
        if settings.session_prune_minutes:
            pruning = asyncio.create_task(
                prune_sessions_forever(wired, settings.session_prune_minutes * 60)
            )
        yield
        await stop_task(relaying)
        await wired.relay.drain()
        await stop_task(listening)
        if pruning is not None:
            pruning.cancel()
            # let a prune in flight unwind before its connections are closed
            with contextlib.suppress(asyncio.CancelledError):
                await pruning
        await wired.close()

    app = FastAPI(
        title="Not a Label API",
        version=__version__,
        description="Musical identity, patterns and community for not-a-label.art",
        lifespan=lifespan,
        docs_url="/docs" if settings.serve_docs else None,
        redoc_url="/redoc" if settings.serve_docs else None,
        openapi_url="/openapi.json" if settings.serve_docs else None,
        # metrics and request ids are observability.py's; FastAPI's own OpenTelemetry hooks
        # would look up a tracer provider on every request
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.container = wired
    # Each add_middleware wraps the ones before it. From the outside in: trusted proxies fix
    # the client address for everything below; security headers and CORS reach every
    # answer, the 500 included; then request id, metrics and the one 500 path; the body limit
    # answers before any work; the rate limit is innermost, its 429 carrying a request id.
    if wired.rate_limiter is not None:
        app.add_middleware(RateLimitMiddleware, limiter=wired.rate_limiter, tokens=wired.tokens)
    app.add_middleware(BodySizeLimitMiddleware, default_limit=settings.max_json_body_bytes)
    app.add_middleware(RequestContextMiddleware)
    add_cors(app, settings.cors_origin_list)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(TrustedProxyMiddleware, trusted=settings.trusted_proxy_networks)
    install_error_handlers(app)
    install_conventions(app)
    for router in (
        health_router,
        identity_router,
        auth_router,
        account_security_router,
        users_router,
        social_router,
        generation_router,
        passkeys_router,
        voice_router,
        discovery_router,  # before patterns: /api/patterns/search is not an id
        patterns_router,
        remix_router,
        engagement_router,
        community_router,
        notifications_router,
        webapp_router,
    ):
        include_flat(app, router)
    app.include_router(realtime_router)  # a WebSocket route: include_flat takes HTTP ones only
    app.mount("/static", static_files(), name="static")
    return app
