"""No secret or personal data reaches the logs, even with SQL echo at DEBUG."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from notalabel.container import Container
from notalabel.logscrub import REDACTED, scrub_text, scrub_value
from notalabel.users.models import RefreshToken, User
from tests.identity.factories import onboard
from tests.service.logcapture import captured_logs
from tests.users.factories import make_artist

NAME = "Quiet Ledger"
DESCRIPTION = "I love chill lo-fi beats with marmalade thunderclouds for late studying"
PASSWORD = "velvet-Harmonics-8812!"
EMAIL = "ledger.keeper.8812@example.org"
LOGIN = "/api/auth/login"
REFRESH = "/api/auth/refresh"


def bearer(token: str) -> dict[str, str]:
    """Authorization header for an access token."""
    return {"Authorization": f"Bearer {token}"}


async def test_a_whole_session_leaves_no_secret_in_the_logs(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets: list[str] = [PASSWORD, EMAIL, DESCRIPTION]
    with captured_logs("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite") as logs:
        done = await onboard(client, NAME, DESCRIPTION)
        secrets += [done["token"], done["refreshToken"]]
        user_id = done["user"]["id"]
        attached = await client.post(
            "/api/users/me/credentials",
            json={"email": EMAIL, "password": PASSWORD},
            headers=bearer(done["token"]),
        )
        assert attached.is_success, attached.text

        wrong = await client.post(LOGIN, json={"identifier": NAME, "password": PASSWORD + "?"})
        assert wrong.status_code == 401
        right = await client.post(LOGIN, json={"identifier": NAME, "password": PASSWORD})
        assert right.status_code == 200, right.text
        signed = right.json()
        secrets += [signed["token"], signed["refreshToken"]]
        rotated = await client.post(REFRESH, json={"refreshToken": signed["refreshToken"]})
        assert rotated.status_code == 200, rotated.text
        secrets += [rotated.json()["token"], rotated.json()["refreshToken"]]
        # a reused refresh token (answered 401, or within a grace period the same successor)
        await client.post(REFRESH, json={"refreshToken": signed["refreshToken"]})

        await _email_conflict(container, user_id)
        await _forced_500(client, container, monkeypatch, signed, secrets)

    async with container.db.transaction() as tx:
        user = await tx.get(User, user_id)
        assert user is not None
        assert user.password_hash is not None
        secrets.append(user.password_hash)
        hashes = await tx.scalars(select(RefreshToken.token_hash))
        secrets += list(hashes)

    # the capture really saw SQL at DEBUG and the forced error
    assert "SELECT" in logs.text
    assert "INSERT" in logs.text
    assert REDACTED in logs.text
    assert any(r["level"] == "error" for r in logs.records)
    for secret in secrets:
        assert secret not in logs.text, f"leaked: {secret[:12]}..."


async def _email_conflict(container: Container, owner_id: str) -> None:
    """Two accounts on one email: the database refuses, and the error gets logged."""
    other = await make_artist(container, "Other Ledger")
    values: dict[str, Any] = {"email": EMAIL, "email_key": EMAIL.casefold()}
    async with container.db.transaction() as tx:
        await tx.execute(update(User).where(User.id == owner_id).values(**values))
    try:
        async with container.db.transaction() as tx:
            await tx.execute(update(User).where(User.id == other.user.id).values(**values))
    except IntegrityError:
        logging.getLogger("tests.conflict").exception("email conflict")
    else:
        raise AssertionError("the unique email was not enforced")


async def _forced_500(
    client: httpx.AsyncClient,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    signed: dict[str, Any],
    secrets: list[str],
) -> None:
    leaky = (
        f"cannot list devices for {EMAIL}: password={PASSWORD} "
        f"refresh_token={signed['refreshToken']} Authorization: Bearer {signed['token']} "
        f"next token={secrets[-1]}"
    )

    async def broken(*_: object) -> None:
        raise RuntimeError(leaky)

    monkeypatch.setattr(container.auth, "devices", broken)
    response = await client.get("/api/users/me/devices", headers=bearer(signed["token"]))
    assert response.status_code == 500


def test_scrubbing_covers_each_kind_of_secret() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
    argon = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    text = (
        f"token {jwt} Bearer abc.def argon {argon} password=hunter2x "
        "'refresh_token': 'r3fr3sh' code=123456 recovery_code: AAAA-BBBB status_code=500 "
        "DETAIL: Key (email_key)=(someone@example.com) already exists"
    )
    scrubbed = scrub_text(text)
    for secret in (jwt, "abc.def", argon, "hunter2x", "r3fr3sh", "123456", "AAAA-BBBB"):
        assert secret not in scrubbed
    assert "someone@example.com" not in scrubbed
    assert "status_code=500" in scrubbed
    nested = scrub_value({"user": {"password": "p", "refreshToken": "r", "id": 7}})
    assert nested == {"user": {"password": REDACTED, "refreshToken": REDACTED, "id": 7}}
