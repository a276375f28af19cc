"""Where the client's requests go: a server URL, or the service itself, in this process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
from pydantic import ValidationError

from notalabel.terminal.client import TIMEOUT, ApiClient, ApiError

EMBEDDED = "embedded"


@asynccontextmanager
async def embedded_client() -> AsyncIterator[ApiClient]:
    """The app from NAL_* settings (as `notalabel serve` reads them) behind an ASGI transport."""
    from notalabel.app import create_app
    from notalabel.config import Settings
    from notalabel.observability import configure_logging
    from notalabel.storage import storage_problem

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ApiError(f"invalid settings: {problems}") from exc
    if problem := storage_problem(settings):
        raise ApiError(problem)
    # request logs at INFO would interleave with the conversation on the same terminal
    level = max(logging.getLevelName(settings.log_level.upper()), logging.WARNING)
    configure_logging(logging.getLevelName(level))
    app = create_app(settings)
    failure: BaseException | None = None
    # the lifespan runs the migrations (first start) and closes the container afterwards
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://embedded", timeout=TIMEOUT
        ) as http:
            try:
                yield ApiClient(http, EMBEDDED)
            except (Exception, asyncio.CancelledError) as exc:
                # the lifespan skips its shutdown when an exception passes through it: hold
                # the failure (Ctrl-C, an API error) until the service has closed cleanly
                failure = exc
    if failure is not None:
        raise failure


@asynccontextmanager
async def remote_client(server: str) -> AsyncIterator[ApiClient]:
    """A client of the server at this URL."""
    base = server.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ApiError(f"--server needs an http:// or https:// URL, not {server!r}")
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as http:
        yield ApiClient(http, base)


def connect(server: str | None) -> AbstractAsyncContextManager[ApiClient]:
    """The remote client for a URL, the embedded service for None or "embedded"."""
    if server is None or server == EMBEDDED:
        return embedded_client()
    return remote_client(server)
