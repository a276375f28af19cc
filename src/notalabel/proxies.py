"""The real client address behind trusted reverse proxies (NAL_TRUSTED_PROXIES).

`X-Forwarded-For` is only believed when the direct peer is a trusted proxy; the client is
then the right-most address in the header that is not itself a trusted proxy (every proxy
appends the address it saw, so anything left of that may be made up by the client). The
middleware rewrites `scope["client"]` once, outermost, so rate limits, lockout, device
records and logs all see the same address. Uvicorn's own proxy handling is off (cli.py): it
trusts 127.0.0.1 by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from starlette.types import ASGIApp, Receive, Scope, Send

Network = IPv4Network | IPv6Network


class TrustedProxyMiddleware:
    """Sets scope["client"] (and the scheme) from X-Forwarded-* sent by a trusted proxy."""

    def __init__(self, app: ASGIApp, trusted: Sequence[Network]) -> None:
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] in ("http", "websocket") and self.trusted:
            peer = scope.get("client")
            if peer and self._is_trusted(peer[0]):
                forwarded, proto = _forwarded_headers(scope)
                client = self.client_from(forwarded)
                if client is not None:
                    scope["client"] = (client, 0)
                if proto in ("http", "https"):
                    scope["scheme"] = proto if scope["type"] == "http" else _ws(proto)
        await self.app(scope, receive, send)

    def client_from(self, forwarded: list[str]) -> str | None:
        """The right-most forwarded address that is not a trusted proxy (None: keep the peer)."""
        last_trusted: str | None = None
        for entry in reversed(forwarded):
            address = _parse(entry)
            if address is None:
                # garbage cannot be a client address; the nearest proxy we trust is the best
                # we know
                return last_trusted
            if not self._is_trusted(address):
                return str(address)
            last_trusted = str(address)
        return last_trusted

    def _is_trusted(self, host: str | IPv4Address | IPv6Address) -> bool:
        address = _parse(host) if isinstance(host, str) else host
        return address is not None and any(address in network for network in self.trusted)


def _forwarded_headers(scope: Scope) -> tuple[list[str], str]:
    forwarded: list[str] = []
    proto = ""
    for key, value in scope.get("headers", []):
        if key == b"x-forwarded-for":
            forwarded.extend(part.strip() for part in value.decode("latin-1").split(","))
        elif key == b"x-forwarded-proto":
            proto = value.decode("latin-1").split(",")[-1].strip().lower()
    return [entry for entry in forwarded if entry], proto


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    candidate = text.strip()
    # "[2001:db8::1]:443" and "203.0.113.7:5000" name a port some proxies add
    if candidate.startswith("["):
        candidate = candidate[1:].partition("]")[0]
    elif candidate.count(":") == 1:
        candidate = candidate.partition(":")[0]
    try:
        address = ip_address(candidate)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _ws(proto: str) -> str:
    return "wss" if proto == "https" else "ws"
