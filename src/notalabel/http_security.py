"""Security headers on every response, and the CORS allow-list.

Every response: `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
`X-Frame-Options: DENY`. Under /api/ also `Cache-Control: no-store` (bodies carry tokens and
personal data). HTML gets a strict Content-Security-Policy; the interactive docs (Swagger UI,
ReDoc) load their scripts, styles and fonts from public CDNs and bootstrap with an inline
script, so those pages alone get a policy that names exactly those hosts and the SHA-256
hash of each inline script on the page (no 'unsafe-inline' for scripts).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from notalabel.observability import REQUEST_ID_HEADER

HTML_CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
_DOCS_CSP = (
    "default-src 'self'; "
    "script-src 'self' https://cdn.jsdelivr.net {hashes}; "
    # ReDoc styles itself at run time (styled-components), so styles need 'unsafe-inline'
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://validator.swagger.io; "
    "worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
)


class SecurityHeadersMiddleware:
    """Adds the security headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path in DOCS_PATHS:
            await self.app(scope, receive, _DocsPage(send))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _add_common(headers, path)
                is_html = headers.get("content-type", "").startswith("text/html")
                # the web app's pages and player frame carry their own, stricter or framed,
                # policy (notalabel.webapp.policies); everything else gets the default
                if is_html and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = HTML_CSP
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _DocsPage:
    """Holds a docs page back until its body is known, to hash its inline scripts."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.start: Message | None = None
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
            return
        if message["type"] != "http.response.body" or self.start is None:
            await self.send(message)
            return
        self.body += message.get("body", b"")
        if message.get("more_body", False):
            return
        headers = MutableHeaders(scope=self.start)
        _add_common(headers, "")
        if headers.get("content-type", "").startswith("text/html"):
            headers["Content-Security-Policy"] = docs_csp(self.body)
        await self.send(self.start)
        await self.send({"type": "http.response.body", "body": self.body})


def docs_csp(html: bytes) -> str:
    """The docs pages' policy: their CDN hosts and the hash of each inline script."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return _DOCS_CSP.format(hashes=hashes)


def _add_common(headers: MutableHeaders, path: str) -> None:
    for name, value in _ALWAYS:
        if name == "X-Frame-Options" and name in headers:
            continue  # the player frame allows its own origin to frame it
        headers[name] = value
    if path.startswith("/api/") or path == "/api":
        headers["Cache-Control"] = "no-store"


def add_cors(app: FastAPI, origins: list[str]) -> None:
    """Allow the configured browser origins (none: no CORS headers at all)."""
    if not origins:
        return
    wildcard = "*" in origins
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"] if wildcard else origins,
        # tokens travel in the Authorization header, never cookies; credentials mode is only
        # offered to named origins, which the CORS rules require anyway
        allow_credentials=not wildcard,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["authorization", "content-type", REQUEST_ID_HEADER],
        expose_headers=[
            REQUEST_ID_HEADER,
            "retry-after",
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ],
        max_age=600,
    )
