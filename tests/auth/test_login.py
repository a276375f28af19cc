"""Email and password: setting credentials, login, lockout, one answer for all failures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from notalabel.auth import service as auth_service
from notalabel.auth.lockout import lock_duration
from notalabel.auth.models import LoginLock
from notalabel.auth.passwords import password_problem
from notalabel.config import Settings
from notalabel.container import Container
from notalabel.db import utcnow
from notalabel.users.models import Device, User
from tests.auth.mailbox import Mailbox, running_mailbox
from tests.users.factories import Artist, make_artist

PASSWORD = "correct horse battery"
LOGIN = "/api/auth/login"
PASSWORD_URL = "/api/users/me/password"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return mailbox.settings_for(settings)


async def with_credentials(
    client: httpx.AsyncClient, box: Mailbox, container: Container, name: str, email: str
) -> Artist:
    """An artist with a password and a verified email (the code read from the real mail)."""
    artist = await make_artist(container, name)
    response = await client.post(
        "/api/users/me/credentials",
        json={"email": email, "password": PASSWORD},
        headers=artist.headers,
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"email": None, "hasPassword": True, "pendingEmail": email}
    verified = await client.post(
        "/api/users/me/email/verify", json={"code": box.code_for(email)}, headers=artist.headers
    )
    assert verified.status_code == 200, verified.text
    assert verified.json()["email"] == email
    return artist


async def login(client: httpx.AsyncClient, identifier: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, json={"identifier": identifier, "password": password})


async def stale_headers(container: Container, artist: Artist, minutes: int = 11) -> dict[str, str]:
    """The artist's token as if their sign-in had been proven `minutes` ago."""
    async with container.db.transaction() as tx:
        device = await tx.scalar(select(Device).where(Device.user_id == artist.user.id))
        assert device is not None
        proven = utcnow() - timedelta(minutes=minutes)
        device.authenticated_at = proven
    token = container.tokens.issue_access(
        artist.user.id, artist.user.artist_name, device.id, proven
    )
    return {"Authorization": f"Bearer {token}"}


async def test_login_by_email_or_artist_name(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    await with_credentials(client, mailbox, container, "PasswordArtist", "Pass@Example.com")
    for identifier in ("pass@example.com", "PASS@EXAMPLE.COM", "passwordartist"):
        response = await login(client, identifier, PASSWORD)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["deviceKey"]
        me = await client.get("/api/users/me", headers={"Authorization": f"Bearer {body['token']}"})
        assert me.json()["artistName"] == "PasswordArtist"
        assert me.json()["loginMethod"] == "email"
        assert me.json()["email"] == "Pass@Example.com"
    async with container.db.transaction() as tx:
        methods = sorted((await tx.scalars(select(Device.login_method))).all())
    assert methods == ["email", "email", "email", "musical_identity"]


async def test_login_by_email_needs_the_verified_email(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "Unverified")
    pending = await client.post(
        "/api/users/me/credentials",
        json={"email": "unverified@example.com", "password": PASSWORD},
        headers=artist.headers,
    )
    assert pending.status_code == 202
    assert (await login(client, "unverified@example.com", PASSWORD)).status_code == 401
    assert (await login(client, "Unverified", PASSWORD)).status_code == 200
    me = await client.get("/api/users/me", headers=artist.headers)
    assert me.json()["email"] is None


async def test_password_is_stored_as_argon2id(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await with_credentials(client, mailbox, container, "HashCheck", "hash@example.com")
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
    weak_put = await client.put(PASSWORD_URL, json={"password": "short"}, headers=artist.headers)
    assert weak_put.status_code == 422


async def test_email_is_unique_case_insensitively(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    await with_credentials(client, mailbox, container, "FirstEmail", "same@example.com")
    second = await make_artist(container, "SecondEmail")
    # asking for a code answers the same either way, so it does not reveal who has an account
    response = await client.post(
        "/api/users/me/credentials",
        json={"email": "SAME@example.com", "password": PASSWORD},
        headers=second.headers,
    )
    assert response.status_code == 202
    verified = await client.post(
        "/api/users/me/email/verify",
        json={"code": mailbox.code_for("SAME@example.com")},
        headers=second.headers,
    )
    assert verified.status_code == 409
    assert verified.json()["error"]["code"] == "email_taken"


async def test_changing_the_password_needs_a_recent_sign_in_or_the_current_one(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await with_credentials(client, mailbox, container, "Changer", "change@example.com")
    stale = await stale_headers(container, artist)
    body = {"password": "a brand new passphrase"}
    refused = await client.put(PASSWORD_URL, json=body, headers=stale)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "reauthentication_required"
    wrong = await client.put(
        PASSWORD_URL, json={**body, "currentPassword": "not my password"}, headers=stale
    )
    assert wrong.status_code == 401
    other_device = (await login(client, "changer", PASSWORD)).json()
    accepted = await client.put(
        PASSWORD_URL, json={**body, "currentPassword": PASSWORD}, headers=stale
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {
        "email": "change@example.com",
        "hasPassword": True,
        "pendingEmail": None,
    }
    assert (await login(client, "changer", PASSWORD)).status_code == 401
    assert (await login(client, "changer", "a brand new passphrase")).status_code == 200
    # the password change signed every other device out, but not this one
    other = {"Authorization": f"Bearer {other_device['token']}"}
    assert (await client.get("/api/users/me", headers=other)).status_code == 401
    assert (await client.get("/api/users/me", headers=stale)).status_code == 200


async def test_a_recent_sign_in_changes_the_password_without_the_current_one(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await with_credentials(client, mailbox, container, "Recent", "recent@example.com")
    changed = await client.put(
        PASSWORD_URL, json={"password": "another fine passphrase"}, headers=artist.headers
    )
    assert changed.status_code == 200, changed.text
    assert (await login(client, "recent", "another fine passphrase")).status_code == 200


async def test_a_first_password_on_a_stale_sign_in_needs_reauthentication(
    client: httpx.AsyncClient, container: Container
) -> None:
    artist = await make_artist(container, "StaleFirst")
    stale = await stale_headers(container, artist)
    for url, body in (
        (PASSWORD_URL, {"password": PASSWORD}),
        ("/api/users/me/credentials", {"email": "stale@example.com", "password": PASSWORD}),
    ):
        response = await client.request(
            "PUT" if url == PASSWORD_URL else "POST", url, json=body, headers=stale
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "reauthentication_required"
    async with container.db.transaction() as tx:
        user = await tx.get(User, artist.user.id)
    assert user is not None
    assert user.password_hash is None


async def test_failures_look_the_same_whether_or_not_the_account_exists(
    client: httpx.AsyncClient,
    container: Container,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await with_credentials(client, mailbox, container, "Existing", "exists@example.com")
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


async def _client_lock(container: Container, user_id: str) -> LoginLock:
    async with container.db.transaction() as tx:
        lock = await tx.scalar(select(LoginLock).where(LoginLock.user_id == user_id))
    assert lock is not None
    return lock


async def _end_client_lock(container: Container, user_id: str) -> None:
    async with container.db.transaction() as tx:
        await tx.execute(
            update(LoginLock)
            .where(LoginLock.user_id == user_id)
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )


async def test_repeated_failures_lock_password_login_from_that_client(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await with_credentials(client, mailbox, container, "Locked", "locked@example.com")
    for _ in range(5):
        assert (await login(client, "locked@example.com", "wrong password!!")).status_code == 401
    # locked: even the right password gets the same answer from this client
    blocked = await login(client, "locked@example.com", PASSWORD)
    assert blocked.status_code == 401
    assert blocked.json()["error"]["code"] == "invalid_credentials"
    lock = await _client_lock(container, artist.user.id)
    assert (lock.client_key, lock.failures) == ("ip:127.0.0.1", 5)
    assert lock.locked_until is not None
    first_lock = lock.locked_until - utcnow()
    assert timedelta(seconds=25) < first_lock <= timedelta(seconds=30)
    await _end_client_lock(container, artist.user.id)
    # one more failure after the lock ends locks for twice as long
    assert (await login(client, "locked@example.com", "wrong password!!")).status_code == 401
    lock = await _client_lock(container, artist.user.id)
    assert lock.locked_until is not None
    assert lock.locked_until - utcnow() > timedelta(seconds=55)
    await _end_client_lock(container, artist.user.id)
    assert (await login(client, "locked@example.com", PASSWORD)).status_code == 200
    async with container.db.transaction() as tx:
        left = (await tx.scalars(select(LoginLock))).all()
    assert left == []


async def test_login_body_is_validated(client: httpx.AsyncClient) -> None:
    response = await client.post(LOGIN, json={"identifier": "", "password": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",
        "123456789a",
        "password12",
        "password123",
        "qwertyuiop",
        "iloveyou12",
        "1q2w3e4r5t",
        "qwerty1234",
        "abcdefghij",
        "0987654321",
        "letmein123",
        "welcome123",
    ],
)
def test_the_most_common_long_passwords_are_refused(password: str) -> None:
    problem = password_problem(password, artist_name="Someone", email="s@example.com")
    assert problem == "That password is too easy to guess."


@pytest.mark.parametrize(
    ("password", "artist_name", "email", "fragment"),
    [
        ("abcdabcdab", "Someone", "s@example.com", None),  # four different characters: fine
        ("abcabcabca", "Someone", "s@example.com", "easy"),  # three: too easy
        ("my soundwave 99", "Other", "soundwave@example.com", "artist name or email"),
        ("MyNameIsWeakling99", "Weakling", "zq@example.com", "artist name or email"),
        ("adamant harmonics", "Ada", "zq@example.com", None),  # short names are not searched
    ],
)
def test_password_policy_edges(
    password: str, artist_name: str, email: str, fragment: str | None
) -> None:
    problem = password_problem(password, artist_name=artist_name, email=email)
    if fragment is None:
        assert problem is None
    else:
        assert problem is not None
        assert fragment in problem
