"""Lockout per (account, client): an attacker's failures cannot lock the artist out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from notalabel.app import create_app
from notalabel.auth import service as auth_service
from notalabel.auth.lockout import is_locked, login_client
from notalabel.auth.models import KnownClient
from notalabel.auth.security_log import AccountSecurityChanged, SecurityEvent
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.security import hash_token
from notalabel.users.models import User
from tests.identity.factories import onboard
from tests.users.factories import make_artist

PASSWORD = "correct horse battery"
WRONG = "wrong password!!"
From = Callable[[str], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # a low account-wide threshold keeps the test fast; the rule is the same at 50
    return settings.model_copy(update={"login_account_threshold": 8})


@pytest.fixture
def from_ip(settings: Settings, container: Container) -> From:
    """An HTTP client whose requests come from the given IP address."""
    app = create_app(settings, container)

    @asynccontextmanager
    async def connect(ip: str) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(ip, 1))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            yield http

    return connect


async def with_password(client: httpx.AsyncClient, container: Container, name: str) -> None:
    artist = await make_artist(container, name)
    response = await client.put(
        "/api/users/me/password", json={"password": PASSWORD}, headers=artist.headers
    )
    assert response.status_code == 200, response.text


def announcements(container: Container) -> list[AccountSecurityChanged]:
    """Every AccountSecurityChanged the bus publishes from now on."""
    seen: list[AccountSecurityChanged] = []

    async def remember(event: AccountSecurityChanged) -> None:
        seen.append(event)

    container.bus.subscribe(AccountSecurityChanged, remember)
    return seen


async def login(
    client: httpx.AsyncClient, name: str, password: str, device_key: str | None = None
) -> httpx.Response:
    body = {"identifier": name, "password": password}
    if device_key is not None:
        body["deviceKey"] = device_key
    return await client.post("/api/auth/login", json=body)


async def test_an_attackers_failures_do_not_lock_the_artist_out(
    client: httpx.AsyncClient, container: Container, from_ip: From
) -> None:
    await with_password(client, container, "Victim")
    async with from_ip("203.0.113.7") as attacker, from_ip("10.0.0.2") as victim:
        for _ in range(10):
            assert (await login(attacker, "Victim", WRONG)).status_code == 401
        # the attacker's own client is locked, even with the right password
        assert (await login(attacker, "Victim", PASSWORD)).status_code == 401
        signed_in = await login(victim, "Victim", PASSWORD)
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json()["deviceKey"]


async def test_a_known_device_signs_in_past_the_account_wide_threshold(
    client: httpx.AsyncClient, container: Container, from_ip: From
) -> None:
    await with_password(client, container, "Target")
    async with from_ip("10.0.0.2") as phone:
        device_key = (await login(phone, "Target", PASSWORD)).json()["deviceKey"]
    attackers = ["198.51.100.1", "198.51.100.2"]
    for ip in attackers:
        async with from_ip(ip) as attacker:
            for _ in range(5):
                assert (await login(attacker, "Target", WRONG)).status_code == 401
    # 8 failures from unknown clients (the rest came while locked and did not count): every
    # unknown client is now locked out of the account
    async with from_ip("10.0.0.3") as new_laptop:
        assert (await login(new_laptop, "Target", PASSWORD)).status_code == 401
    # the phone proves it signed in before: its key works from anywhere, the attacker's IP too
    async with from_ip(attackers[0]) as phone_on_that_network:
        known = await login(phone_on_that_network, "Target", PASSWORD, device_key)
        assert known.status_code == 200, known.text
        assert known.json()["deviceKey"] == device_key
        assert (await login(phone_on_that_network, "Target", PASSWORD)).status_code == 401
    async with container.db.transaction() as tx:
        locks = (
            await tx.scalars(select(SecurityEvent).where(SecurityEvent.kind == "account_locked"))
        ).all()
    # the first IP locked itself; the second was stopped by the account-wide lock first
    scopes = sorted(entry.details["scope"] for entry in locks)
    assert scopes == ["account", "client"]


async def test_a_device_key_of_another_account_is_just_an_unknown_client(
    client: httpx.AsyncClient, container: Container, from_ip: From
) -> None:
    await with_password(client, container, "KeyOwner")
    await with_password(client, container, "Stranger")
    async with from_ip("203.0.113.9") as attacker:
        foreign_key = (await login(attacker, "KeyOwner", PASSWORD)).json()["deviceKey"]
        for _ in range(5):
            assert (await login(attacker, "Stranger", WRONG, foreign_key)).status_code == 401
        # the key did not make the attacker a known device of Stranger: the IP is locked
        assert (await login(attacker, "Stranger", PASSWORD, foreign_key)).status_code == 401
        assert (await login(attacker, "Stranger", PASSWORD)).status_code == 401


async def test_device_keys_are_stored_only_as_hashes(
    client: httpx.AsyncClient, container: Container
) -> None:
    await with_password(client, container, "KeyHash")
    key = (await login(client, "KeyHash", PASSWORD)).json()["deviceKey"]
    async with container.db.transaction() as tx:
        stored = (await tx.scalars(select(KnownClient.key_hash))).all()
    assert key not in stored
    assert hash_token(key) in stored


async def test_every_attempt_verifies_exactly_one_hash_even_when_locked(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    await with_password(client, container, "Counted")
    verified: list[str] = []
    real_verify = auth_service.verify_password

    def spy(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth_service, "verify_password", spy)
    answers = [await login(client, "Counted", WRONG) for _ in range(7)]
    answers.append(await login(client, "Counted", PASSWORD))
    assert len(verified) == 8
    assert {r.status_code for r in answers} == {401}
    assert len({r.text for r in answers}) == 1


def test_lock_rules() -> None:
    now = utcnow()
    later = now.replace(year=now.year + 1)
    ip = login_client(None, "10.0.0.1")
    device = login_client("kc_1", "10.0.0.1")
    assert (ip.key, device.key) == ("ip:10.0.0.1", "device:kc_1")
    # the account-wide lock stops unknown clients only
    assert is_locked(ip, client_locked_until=None, account_locked_until=later, now=now)
    assert not is_locked(device, client_locked_until=None, account_locked_until=later, now=now)
    # a device's own failures still lock it
    assert is_locked(device, client_locked_until=later, account_locked_until=None, now=now)
    assert not is_locked(ip, client_locked_until=now, account_locked_until=now, now=now)


async def test_the_device_that_made_the_identity_is_known_to_the_lockout(
    from_ip: From,
) -> None:
    async with from_ip("10.1.0.1") as home:
        done = await onboard(home, "Onboarded Known")
        device_key = done["deviceKey"]
        assert device_key
        headers = {"Authorization": f"Bearer {done['token']}"}
        response = await home.put(
            "/api/users/me/password", json={"password": PASSWORD}, headers=headers
        )
        assert response.status_code == 200, response.text
        # someone on the same network (same IP) locks that IP out of the account
        for _ in range(6):
            assert (await login(home, "Onboarded Known", WRONG)).status_code == 401
        assert (await login(home, "Onboarded Known", PASSWORD)).status_code == 401
        # the onboarding device proves itself with its key and still gets in
        known = await login(home, "Onboarded Known", PASSWORD, device_key)
        assert known.status_code == 200, known.text


async def test_a_lock_is_announced_to_the_artists_devices(
    client: httpx.AsyncClient, container: Container, from_ip: From
) -> None:
    announced = announcements(container)
    await with_password(client, container, "Announced Lock")
    async with from_ip("203.0.113.9") as attacker:
        for _ in range(5):
            assert (await login(attacker, "Announced Lock", WRONG)).status_code == 401
    assert [e.kind for e in announced if e.kind == "account_locked"] == ["account_locked"]


async def test_the_account_wide_lock_starts_exactly_at_the_threshold_and_counts_afresh(
    client: httpx.AsyncClient, container: Container, from_ip: From
) -> None:
    announced = announcements(container)
    await with_password(client, container, "Threshold")
    # one failure from each of 8 addresses: no client reaches its own lock, the account does
    for n in range(8):
        async with from_ip(f"198.51.100.{n + 10}") as guesser:
            assert (await login(guesser, "Threshold", WRONG)).status_code == 401
    async with from_ip("10.9.0.1") as newcomer:
        assert (await login(newcomer, "Threshold", PASSWORD)).status_code == 401
    async with container.db.transaction() as tx:
        entry = await tx.scalar(select(SecurityEvent).where(SecurityEvent.kind == "account_locked"))
        assert entry is not None
        assert entry.details["scope"] == "account"
        assert "client" not in entry.details
        until = datetime.fromisoformat(entry.details["until"])
        # NAL_LOGIN_ACCOUNT_LOCK_SECONDS (900) from the eighth failure, a moment ago
        assert timedelta(seconds=600) < until - utcnow() <= timedelta(seconds=900)
        user = await tx.scalar(select(User).where(User.artist_name == "Threshold"))
        assert user is not None
        user.login_locked_until = utcnow() - timedelta(seconds=1)  # the lock has run out
    assert [e.kind for e in announced if e.kind == "account_locked"] == ["account_locked"]
    # a whole new run is needed for the next lock: 7 more failures are not enough
    for n in range(7):
        async with from_ip(f"198.51.100.{n + 30}") as guesser:
            assert (await login(guesser, "Threshold", WRONG)).status_code == 401
    async with from_ip("10.9.0.2") as newcomer:
        signed_in = await login(newcomer, "Threshold", PASSWORD)
        assert signed_in.status_code == 200, signed_in.text
