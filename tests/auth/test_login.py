"""Email and password: attaching credentials, login, lockout, one answer for all failures."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from notalabel.auth import service as auth_service
from notalabel.auth.lockout import lock_duration
from notalabel.auth.passwords import password_problem
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.users.models import Device, User
from tests.users.factories import Artist, make_artist

PASSWORD = "correct horse battery"
LOGIN = "/api/auth/login"


async def with_credentials(
    client: httpx.AsyncClient, container: Container, name: str, email: str
) -> Artist:
    artist = await make_artist(container, name)
    response = await client.post(
        "/api/users/me/credentials",
        json={"email": email, "password": PASSWORD},
        headers=artist.headers,
    )
    assert response.status_code == 200, response.text
    return artist


async def login(client: httpx.AsyncClient, identifier: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, json={"identifier": identifier, "password": password})


async def test_login_by_email_or_artist_name(
    client: httpx.AsyncClient, container: Container
) -> None:
    await with_credentials(client, container, "PasswordArtist", "Pass@Example.com")
    for identifier in ("pass@example.com", "PASS@EXAMPLE.COM", "passwordartist"):
        response = await login(client, identifier, PASSWORD)
        assert response.status_code == 200, response.text
        body = response.json()
        me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.json()["artistName"] == "PasswordArtist"
        assert me.json()["loginMethod"] == "email"
        assert me.json()["email"] == "Pass@Example.com"
    async with container.db.transaction() as tx:
        methods = sorted((await tx.scalars(select(Device.login_method))).all())
    assert methods == ["email", "email", "email", "musical_identity"]


async def test_password_is_stored_as_argon2id(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await with_credentials(client, container, "HashCheck", "hash@example.com")
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
    assert user is not None
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("short", "at least"),
        ("x" * 129, "at most"),
        ("password123", "easy"),
        ("aaaaaaaaaaaaaa", "easy"),
        ("MyNameIsWeakling99", "artist name"),
    ],
)
def test_password_policy(password: str, fragment: str) -> None:
    problem = password_problem(password, artist_name="Weakling", email="w@example.com")
    assert problem is not None
    assert fragment in problem


async def test_weak_password_or_bad_email_is_422(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Weak")
    weak = await client.post(
        "/api/users/me/credentials",
        json={"email": "w@example.com", "password": "short"},
        headers=artist.headers,
    )
    assert weak.status_code == 422
    assert weak.json()["error"]["details"][0]["field"] == "password"
    bad_email = await client.post(
        "/api/users/me/credentials",
        json={"email": "not-an-email", "password": PASSWORD},
        headers=artist.headers,
    )
    assert bad_email.status_code == 422
    assert bad_email.json()["error"]["details"][0]["field"] == "email"


async def test_email_is_unique_case_insensitively(
    client: httpx.AsyncClient, container: Container
) -> None:
    await with_credentials(client, container, "FirstEmail", "same@example.com")
    second = await make_artist(container, "SecondEmail")
    response = await client.post(
        "/api/users/me/credentials",
        json={"email": "SAME@example.com", "password": PASSWORD},
        headers=second.headers,
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"


async def test_changing_credentials_needs_the_current_password(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await with_credentials(client, container, "Changer", "change@example.com")
    body = {"email": "change@example.com", "password": "a brand new passphrase"}
    refused = await client.post("/api/users/me/credentials", json=body, headers=artist.headers)
    assert refused.status_code == 401
    other_device = (await login(client, "changer", PASSWORD)).json()
    body["currentPassword"] = PASSWORD
    accepted = await client.post("/api/users/me/credentials", json=body, headers=artist.headers)
    assert accepted.status_code == 200
    assert (await login(client, "changer", PASSWORD)).status_code == 401
    assert (await login(client, "changer", "a brand new passphrase")).status_code == 200
    # the password change signed every other device out, but not this one
    other = {"Authorization": f"Bearer {other_device['token']}"}
    assert (await client.get("/api/users/me", headers=other)).status_code == 401
    assert (await client.get("/api/users/me", headers=artist.headers)).status_code == 200


async def test_failures_look_the_same_whether_or_not_the_account_exists(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    await with_credentials(client, container, "Existing", "exists@example.com")
    verified: list[str] = []
    real_verify = auth_service.verify_password

    def spy(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth_service, "verify_password", spy)
    wrong = await login(client, "exists@example.com", "wrong password!!")
    missing = await login(client, "nobody@example.com", "wrong password!!")
    no_password = await make_artist(container, "NoPassword")
    passwordless = await login(client, no_password.user.artist_name, "wrong password!!")
    bodies = [r.json() for r in (wrong, missing, passwordless)]
    assert {r.status_code for r in (wrong, missing, passwordless)} == {401}
    assert bodies[0] == bodies[1] == bodies[2]
    # every path verified one argon2id hash, so each costs the same
    assert len(verified) == 3
    assert all(h.startswith("$argon2id$") for h in verified)


def test_lock_grows_and_is_capped() -> None:
    durations = [
        lock_duration(n, threshold=5, base_seconds=30, max_seconds=3600) for n in range(4, 14)
    ]
    assert durations[0] is None
    seconds = [d.total_seconds() for d in durations[1:] if d is not None]
    assert seconds[:4] == [30, 60, 120, 240]
    assert seconds[-1] == 3600


async def test_repeated_failures_lock_password_login(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await with_credentials(client, container, "Locked", "locked@example.com")
    for _ in range(5):
        assert (await login(client, "locked@example.com", "wrong password!!")).status_code == 401
    # locked: even the right password gets the same answer
    blocked = await login(client, "locked@example.com", PASSWORD)
    assert blocked.status_code == 401
    assert blocked.json()["error"]["code"] == "invalid_credentials"
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
        assert user is not None
        assert user.failed_logins == 5
        assert user.login_locked_until is not None
        first_lock = user.login_locked_until - utcnow()
        assert timedelta(seconds=25) < first_lock <= timedelta(seconds=30)
        await tx.execute(
            update(User)
            .where(User.id == artist.user.id)
            .values(login_locked_until=utcnow() - timedelta(seconds=1))
        )
    # one more failure after the lock ends locks for twice as long
    assert (await login(client, "locked@example.com", "wrong password!!")).status_code == 401
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
        assert user is not None
        assert user.login_locked_until is not None
        assert user.login_locked_until - utcnow() > timedelta(seconds=55)
        await tx.execute(
            update(User)
            .where(User.id == artist.user.id)
            .values(login_locked_until=utcnow() - timedelta(seconds=1))
        )
    assert (await login(client, "locked@example.com", PASSWORD)).status_code == 200
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
        assert user is not None
        assert (user.failed_logins, user.login_locked_until) == (0, None)


async def test_login_body_is_validated(client: httpx.AsyncClient) -> None:
    response = await client.post(LOGIN, json={"identifier": "", "password": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
