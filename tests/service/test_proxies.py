"""X-Forwarded-For is believed only from trusted proxies, and every part sees that address."""

from __future__ import annotations

import secrets
from ipaddress import ip_network

import pytest
from fastapi import Request
from pydantic import ValidationError

from notalabel.config import Settings
from notalabel.db import Database
from notalabel.proxies import TrustedProxyMiddleware
from tests.service.apps import derive, serve


def middleware(*networks: str) -> TrustedProxyMiddleware:
    """The middleware alone, trusting `networks`."""

    async def app(*_: object) -> None:
        return None

    return TrustedProxyMiddleware(app, [ip_network(n) for n in networks])


async def _seen_address(settings: Settings, database: Database, peer: str, xff: str) -> str:
    async with serve(settings, database, peer=(peer, 5555)) as (app, _, client):

        async def whoami(request: Request) -> dict[str, str]:
            return {"ip": request.client.host if request.client else ""}

        app.add_api_route("/whoami", whoami)
        response = await client.get("/whoami", headers={"x-forwarded-for": xff})
        return str(response.json()["ip"])


async def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(
    settings: Settings, database: Database
) -> None:
    trusting = derive(settings, trusted_proxies="10.0.0.0/8")
    assert await _seen_address(trusting, database, "203.0.113.9", "1.2.3.4") == "203.0.113.9"
    # nothing is trusted by default, not even localhost
    assert await _seen_address(settings, database, "127.0.0.1", "1.2.3.4") == "127.0.0.1"


async def test_a_trusted_proxy_names_the_client(settings: Settings, database: Database) -> None:
    trusting = derive(settings, trusted_proxies="10.0.0.0/8, 192.168.1.1")
    # the client put "6.6.6.6" in front; the edge proxy appended what it saw
    seen = await _seen_address(trusting, database, "10.0.0.1", "6.6.6.6, 198.51.100.7, 192.168.1.1")
    assert seen == "198.51.100.7"


def test_the_rightmost_untrusted_address_wins() -> None:
    proxies = middleware("10.0.0.0/8", "2001:db8::/32")
    assert proxies.client_from(["1.1.1.1", "2.2.2.2"]) == "2.2.2.2"
    assert proxies.client_from(["1.1.1.1", "10.1.1.1", "10.2.2.2"]) == "1.1.1.1"
    assert proxies.client_from(["[2001:db9::5]:443", "2001:db8::1"]) == "2001:db9::5"
    assert proxies.client_from(["198.51.100.7:5000"]) == "198.51.100.7"
    # only proxies: the one furthest out is the best we know
    assert proxies.client_from(["10.9.9.9", "10.1.1.1"]) == "10.9.9.9"
    # garbage is never taken for a client
    assert proxies.client_from(["1.1.1.1", "unknown", "10.1.1.1"]) == "10.1.1.1"
    assert proxies.client_from(["<script>"]) is None


async def test_the_rate_limit_counts_the_forwarded_client(
    settings: Settings, database: Database
) -> None:
    limited = derive(
        settings, trusted_proxies="10.0.0.1", rate_limit_enabled=True, rate_limit_login="2/minute"
    )
    async with serve(limited, database, peer=("10.0.0.1", 5555)) as (_, _, client):

        async def login(client_ip: str) -> int:
            response = await client.post(
                "/api/auth/login",
                json={"identifier": "nobody", "password": "wrong password"},
                headers={"x-forwarded-for": client_ip},
            )
            return response.status_code

        # random addresses: on Redis, counts outlive the test
        first, second = (f"198.51.{secrets.randbelow(256)}.{n}" for n in (1, 2))
        assert [await login(first) for _ in range(3)] == [401, 401, 429]
        # another client behind the same proxy has its own count
        assert await login(second) == 401


@pytest.mark.parametrize("value", ["10.0.0.0/33", "not-an-ip", "10.0.0.1, nope"])
def test_a_malformed_proxy_is_a_settings_error(value: str) -> None:
    with pytest.raises(ValidationError, match="NAL_TRUSTED_PROXIES"):
        Settings(_env_file=None, trusted_proxies=value)  # type: ignore[call-arg]
