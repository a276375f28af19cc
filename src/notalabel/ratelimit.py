"""Per-user (per-IP when anonymous) rate limits, shared through Redis in production mode.

Strategy: moving window. A fixed window lets a caller spend a whole budget at the end of one
window and again at the start of the next (2x the limit within seconds); the moving window
never admits more than the limit in any span of the window's length, and it tells exactly when
the oldest hit leaves the window, which is what Retry-After should say. Its cost (one entry per
hit, at most `limit` entries per key) is small for limits of this size.

Keys: `<prefix>:LIMITER/<rule>/<user|ip>/<id>/<amount>/<multiples>/<granularity>`; changing a
limit in the settings therefore starts fresh counts.

Storage: in-process memory on the embedded default (one process); Redis in production mode, so
every worker process and host shares one count. If the storage fails, requests are let through
(fail open), each one counted in `notalabel_ratelimit_unchecked_total`, with one error log per
outage episode.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from prometheus_client import Counter
from redis.asyncio import ConnectionPool
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notalabel.config import Mode, Settings
from notalabel.errors import Unauthorized, error_body
from notalabel.security import TokenService

logger = logging.getLogger(__name__)

KEY_PREFIX = "notalabel:ratelimit"
RATE_LIMITED_MESSAGE = "Too many requests from this user, please try again later."
# Paths under /api/ that are never limited: probes must keep working for a busy caller.
EXEMPT_PATHS = frozenset({"/api/health"})
# Stricter per-IP rules on top of the global one, by (method, path); the start alias shares
# its count with the canonical route.
STRICT_ROUTES: Mapping[tuple[str, str], str] = {
    ("POST", "/api/auth/login"): "login",
    # every way to prove who you are shares the login budget: guessing costs the same anywhere
    ("POST", "/api/auth/recover"): "login",
    ("POST", "/api/auth/reauthenticate"): "login",
    ("POST", "/api/auth/passkey"): "login",
    ("POST", "/api/auth/voice/login"): "login",
    ("POST", "/api/auth/refresh"): "refresh",
    ("POST", "/api/auth/musical-identity/start"): "identity_start",
    ("POST", "/api/auth/start-musical-identity"): "identity_start",
}
# How long to skip a failed storage before trying again, so an outage (or a hung Redis) does
# not add a timeout to every request.
STORAGE_RETRY_SECONDS = 5.0

REJECTED = Counter(
    "notalabel_ratelimit_rejected_total", "Requests refused with 429, by rule", ["rule"]
)
UNCHECKED = Counter(
    "notalabel_ratelimit_unchecked_total",
    "Requests let through without a rate-limit check because the limit storage failed",
)


def describe(item: RateLimitItem) -> str:
    """Human form of a limit: "100 per 15 minutes", "20 per hour"."""
    unit = item.GRANULARITY.name
    if item.multiples == 1:
        return f"{item.amount} per {unit}"
    return f"{item.amount} per {item.multiples} {unit}s"


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one rule for one caller."""

    rule: str
    item: RateLimitItem
    allowed: bool
    remaining: int
    reset_at: float

    def retry_after(self, now: float | None = None) -> int:
        """Whole seconds until the window frees a slot (at least 1)."""
        return max(1, math.ceil(self.reset_at - (time.time() if now is None else now)))

    def headers(self) -> list[tuple[bytes, bytes]]:
        """X-RateLimit-* headers; Reset is the Unix time when a slot frees."""
        return [
            (b"x-ratelimit-limit", str(self.item.amount).encode()),
            (b"x-ratelimit-remaining", str(max(0, self.remaining)).encode()),
            (b"x-ratelimit-reset", str(math.ceil(self.reset_at)).encode()),
        ]


class RateLimiter:
    """Named limits over one storage, failing open when the storage does."""

    def __init__(
        self,
        storage: Storage,
        rules: Mapping[str, RateLimitItem],
        *,
        pool: ConnectionPool | None = None,
    ) -> None:
        self.storage = storage
        self.rules = dict(rules)
        self._strategy = MovingWindowRateLimiter(storage)
        self._pool = pool
        self._skip_until = 0.0

    async def check(self, rule: str, *identity: str) -> Decision | None:
        """Count one hit of `rule` for `identity`; None when the storage failed (fail open)."""
        if time.monotonic() < self._skip_until:
            UNCHECKED.inc()
            return None
        item = self.rules[rule]
        try:
            allowed = await self._strategy.hit(item, rule, *identity)
            stats = await self._strategy.get_window_stats(item, rule, *identity)
        # Any storage failure must let the request through rather than turn into a 500.
        except Exception as exc:
            UNCHECKED.inc()
            self._skip_until = time.monotonic() + STORAGE_RETRY_SECONDS
            logger.error(
                "rate-limit storage failed; letting requests through unchecked",
                extra={"error": repr(exc), "retry_in_seconds": STORAGE_RETRY_SECONDS},
            )
            return None
        if not allowed:
            REJECTED.labels(rule).inc()
        return Decision(rule, item, allowed, stats.remaining, stats.reset_time)

    async def close(self) -> None:
        """Release the Redis connections, if any."""
        if self._pool is not None:
            await self._pool.aclose()


def build_rate_limiter(settings: Settings, *, key_prefix: str = KEY_PREFIX) -> RateLimiter | None:
    """The limiter for `settings`: Redis-backed in production mode, None when disabled."""
    if not settings.rate_limit_enabled:
        return None
    rules = {
        # Settings already rejected anything `parse` cannot read.
        "global": parse(settings.rate_limit_default),
        "login": parse(settings.rate_limit_login),
        "refresh": parse(settings.rate_limit_refresh),
        "identity_start": parse(settings.rate_limit_identity_start),
    }
    if settings.mode is not Mode.PRODUCTION or not settings.redis_url:
        return RateLimiter(MemoryStorage(), rules)
    # Our own pool: short timeouts and no retries, so a Redis outage fails open quickly.
    pool = ConnectionPool.from_url(
        settings.redis_url,
        socket_connect_timeout=settings.redis_timeout_seconds,
        socket_timeout=settings.redis_timeout_seconds,
    )
    options: dict[str, Any] = {"connection_pool": pool}
    storage = RedisStorage(
        _storage_uri(settings.redis_url),
        implementation="redispy",
        key_prefix=key_prefix,
        **options,
    )
    return RateLimiter(storage, rules, pool=pool)


def _storage_uri(redis_url: str) -> str:
    if redis_url.startswith("unix://"):
        return "async+redis+unix://" + redis_url.removeprefix("unix://")
    return "async+" + redis_url


class RateLimitMiddleware:
    """Applies the global limit per caller and the stricter per-IP limits on auth routes."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, tokens: TokenService) -> None:
        self.app = app
        self.limiter = limiter
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http" or not _is_limited(scope):
            await self.app(scope, receive, send)
            return
        ip = _client_ip(scope)
        checks: list[tuple[str, tuple[str, ...]]] = []
        path = scope["path"].rstrip("/") or "/"
        if strict := STRICT_ROUTES.get((scope["method"], path)):
            checks.append((strict, ("ip", ip)))
        user_id = self._user_id(scope)
        checks.append(("global", ("user", user_id) if user_id else ("ip", ip)))

        shown: Decision | None = None
        for rule, identity in checks:
            decision = await self.limiter.check(rule, *identity)
            if decision is None:
                continue
            if not decision.allowed:
                await _reject(decision, scope, receive, send)
                return
            if shown is None or decision.remaining < shown.remaining:
                shown = decision
        if shown is None:
            await self.app(scope, receive, send)
            return
        extra = shown.headers()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _user_id(self, scope: Scope) -> str | None:
        for key, value in scope.get("headers", []):
            if key == b"authorization":
                scheme, _, token = bytes(value).decode("latin-1").partition(" ")
                if scheme.lower() != "bearer" or not token.strip():
                    return None
                try:
                    return self.tokens.verify_access(token.strip()).user_id
                # The auth dependency rejects bad tokens; here they only fall back to the IP.
                except Unauthorized:
                    return None
        return None


def _is_limited(scope: Scope) -> bool:
    path: str = scope["path"]
    # CORS preflights carry no credentials and do no work; counting them would halve the
    # budget of browser callers sharing an IP.
    if scope["method"] == "OPTIONS":
        return False
    return path.startswith("/api/") and path.rstrip("/") not in EXEMPT_PATHS


def _client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _reject(decision: Decision, scope: Scope, receive: Receive, send: Send) -> None:
    retry_after = decision.retry_after()
    response = JSONResponse(
        error_body(
            "rate_limited",
            RATE_LIMITED_MESSAGE,
            {"limit": describe(decision.item), "retryAfter": retry_after},
        ),
        status_code=429,
        headers={"Retry-After": str(retry_after)},
    )
    response.raw_headers.extend(decision.headers())
    await response(scope, receive, send)
