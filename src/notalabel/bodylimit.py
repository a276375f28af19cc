"""Request body size limits, enforced before the body is read into memory.

Every request body may hold at most NAL_MAX_JSON_BODY_BYTES (64 kB) unless its path starts
with a prefix in BODY_LIMITS, which names a larger (or smaller) limit for that family of
routes; add an entry there next to the route that needs it, e.g. audio uploads:
`"/api/audio/": 2 * 1024 * 1024`. A declared Content-Length over the limit is answered 413
`payload_too_large` without calling the app at all; a body without one (chunked) is counted
as it streams and reading stops with 413 as soon as it passes the limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notalabel.errors import error_body

# Path prefix -> limit in bytes; the longest matching prefix wins.
BODY_LIMITS: Mapping[str, int] = {
    # three recordings of at most 2 MB each (voice/audio.py), and their multipart framing
    "/api/voice/enroll": 3 * 2 * 1024 * 1024 + 64 * 1024,
    # a spoken challenge and an optional hum
    "/api/auth/voice/login": 2 * 2 * 1024 * 1024 + 64 * 1024,
}


class PayloadTooLarge(HTTPException):
    """Raised from `receive` when a streamed body passes its limit.

    An HTTPException, so FastAPI's body parsing passes it on (instead of turning it into a
    400) and the one handler answers 413 in the error shape.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


class BodySizeLimitMiddleware:
    """Answers 413 for request bodies over their path's limit."""

    def __init__(
        self, app: ASGIApp, default_limit: int, limits: Mapping[str, int] = BODY_LIMITS
    ) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = sorted(limits.items(), key=lambda item: len(item[0]), reverse=True)

    def limit_for(self, path: str) -> int:
        """The body limit of `path`."""
        for prefix, limit in self.limits:
            if path.startswith(prefix):
                return limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(limit)(scope, receive, send)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except PayloadTooLarge:
            # read outside FastAPI's body parsing (a streaming endpoint): answer here
            if response_started:
                raise
            await _too_large(limit)(scope, receive, send)


def too_large_message(limit: int) -> str:
    """What a 413 says."""
    return f"The request body is larger than the {limit} bytes this endpoint accepts."


def _too_large(limit: int) -> JSONResponse:
    body = error_body("payload_too_large", too_large_message(limit), {"limitBytes": limit})
    # the unread body stays unread; tell the client this connection is done
    return JSONResponse(body, status_code=413, headers={"Connection": "close"})


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
