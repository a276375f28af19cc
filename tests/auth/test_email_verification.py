"""An email attaches only after the code mailed to it (through a real SMTP server) comes back."""

from __future__ import annotations

import json
import logging
import socket
import stat
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import select, update

from notalabel.app import create_app
from notalabel.auth.models import EmailVerification
from notalabel.auth.security_log import SecurityEvent
from notalabel.config import Mode, Settings
from notalabel.container import Container, build_container
from notalabel.db import Database, utcnow
from notalabel.mail import FileMailer, LogMailer, MailMessage, SmtpMailer, build_mailer
from notalabel.users.models import Device
from tests.auth.mailbox import Mailbox, attach_email, running_mailbox
from tests.users.factories import Artist, make_artist

START = "/api/users/me/email"
VERIFY = "/api/users/me/email/verify"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


@pytest.fixture
def settings(settings: Settings, mailbox: Mailbox) -> Settings:
    return mailbox.settings_for(settings)


async def start(client: httpx.AsyncClient, artist: Artist, email: str) -> httpx.Response:
    return await client.post(START, json={"email": email}, headers=artist.headers)


async def verify(client: httpx.AsyncClient, artist: Artist, code: str) -> httpx.Response:
    return await client.post(VERIFY, json={"code": code}, headers=artist.headers)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_the_mailed_code_attaches_the_email(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Mailer")
    started = await start(client, artist, "Mailer@Example.com")
    assert started.status_code == 202, started.text
    assert started.json() == {"pendingEmail": "Mailer@Example.com", "expiresIn": 900}
    # nothing is attached before the code comes back
    me = await client.get("/api/users/me", headers=artist.headers)
    assert me.json()["email"] is None
    [mail] = mailbox.to("Mailer@Example.com")
    assert mail["Subject"] == "Your Not a Label verification code"
    code = mailbox.code_for("Mailer@Example.com")
    async with container.db.transaction() as tx:
        stored = (await tx.scalars(select(EmailVerification))).one()
    assert code not in stored.code_hash
    verified = await verify(client, artist, code)
    assert verified.status_code == 200, verified.text
    assert verified.json() == {
        "email": "Mailer@Example.com",
        "hasPassword": False,
        "pendingEmail": None,
    }
    me = await client.get("/api/users/me", headers=artist.headers)
    assert me.json()["email"] == "Mailer@Example.com"
    async with container.db.transaction() as tx:
        kinds = (await tx.scalars(select(SecurityEvent.kind))).all()
    assert list(kinds) == ["email_changed"]


async def test_a_code_works_once(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Once")
    assert (await attach_email(client, artist.headers, "once@example.com", mailbox)).is_success
    reused = await verify(client, artist, mailbox.code_for("once@example.com"))
    assert reused.status_code == 400
    assert reused.json()["error"]["code"] == "invalid_verification_code"


async def test_an_expired_code_is_refused(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Late")
    assert (await start(client, artist, "late@example.com")).status_code == 202
    async with container.db.transaction() as tx:
        await tx.execute(
            update(EmailVerification).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    late = await verify(client, artist, mailbox.code_for("late@example.com"))
    assert late.status_code == 400
    assert (await client.get("/api/users/me", headers=artist.headers)).json()["email"] is None


async def test_five_wrong_codes_kill_the_code(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Guesser")
    assert (await start(client, artist, "guess@example.com")).status_code == 202
    code = mailbox.code_for("guess@example.com")
    for _ in range(5):
        wrong = await verify(client, artist, other_code(code))
        assert wrong.status_code == 400
        assert wrong.json()["error"] == {
            "code": "invalid_verification_code",
            "message": "That code is wrong, expired or already used: ask for a new one.",
            "details": None,
        }
    dead = await verify(client, artist, code)
    assert dead.status_code == 400
    assert (await client.get("/api/users/me", headers=artist.headers)).json()["email"] is None


async def test_a_code_only_works_for_the_account_it_was_sent_for(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    owner = await make_artist(container, "CodeOwner")
    thief = await make_artist(container, "CodeThief")
    assert (await start(client, owner, "owner@example.com")).status_code == 202
    assert (await start(client, thief, "thief@example.com")).status_code == 202
    owners_code = mailbox.code_for("owner@example.com")
    if owners_code == mailbox.code_for("thief@example.com"):
        pytest.skip("both random codes are equal (one chance in a million)")
    assert (await verify(client, thief, owners_code)).status_code == 400
    me = await client.get("/api/users/me", headers=thief.headers)
    assert me.json()["email"] is None


async def test_a_new_code_replaces_the_previous_one(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Twice")
    assert (await start(client, artist, "first@example.com")).status_code == 202
    first = mailbox.code_for("first@example.com")
    assert (await start(client, artist, "second@example.com")).status_code == 202
    second = mailbox.code_for("second@example.com")
    if first != second:
        assert (await verify(client, artist, first)).status_code == 400
    assert (await verify(client, artist, second)).status_code == 200
    me = await client.get("/api/users/me", headers=artist.headers)
    assert me.json()["email"] == "second@example.com"


async def test_sends_are_limited_per_account_and_per_ip(
    client: httpx.AsyncClient,
    container: Container,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    artist = await make_artist(container, "Spammer")
    for n in range(5):
        assert (await start(client, artist, f"s{n}@example.com")).status_code == 202
    limited = await start(client, artist, "s5@example.com")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert limited.json()["error"]["message"] == (
        "Too many codes sent to this account lately; try again later."
    )
    assert len(mailbox.messages) == 5
    # 5 codes went out from this IP already; with a per-IP rule of 6, one more account gets one
    monkeypatch.setattr(container.settings, "email_code_sends_per_ip_per_hour", 6)
    other = await make_artist(container, "SameAddress")
    assert (await start(client, other, "o1@example.com")).status_code == 202
    from_here = await start(client, other, "o2@example.com")
    assert from_here.status_code == 429
    assert from_here.json()["error"]["message"] == (
        "Too many codes sent from this address; try again later."
    )


async def test_the_send_limit_counts_the_last_hour_only(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Patient")
    for n in range(5):
        assert (await start(client, artist, f"p{n}@example.com")).status_code == 202
    assert (await start(client, artist, "p5@example.com")).status_code == 429
    async with container.db.transaction() as tx:
        await tx.execute(
            update(EmailVerification).values(created_at=utcnow() - timedelta(minutes=61))
        )
    assert (await start(client, artist, "p6@example.com")).status_code == 202


async def test_changing_the_email_needs_a_recent_sign_in(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "StaleMail")
    proven = utcnow() - timedelta(minutes=11)
    async with container.db.transaction() as tx:
        device = await tx.scalar(select(Device).where(Device.user_id == artist.user.id))
    assert device is not None
    token = container.tokens.issue_access(
        artist.user.id, artist.user.artist_name, device.id, proven
    )
    refused = await client.post(
        START, json={"email": "stale@example.com"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "reauthentication_required"
    assert mailbox.messages == []


async def test_the_file_backend_writes_private_eml_files_and_logs_no_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mailer = FileMailer(tmp_path / "mail", sender="Not a Label <no-reply@example.com>")
    message = MailMessage(
        to="a@example.com", subject="Code", body="Your code is 123456.", summary="a code"
    )
    with caplog.at_level(logging.INFO, logger="notalabel.mail"):
        await mailer.send(message)
    [written] = list((tmp_path / "mail").glob("*.eml"))
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert b"123456" in written.read_bytes()
    [record] = caplog.records
    assert vars(record)["summary"] == "a code"
    assert "123456" not in repr(vars(record))


def test_the_mail_backend_follows_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NAL_MAIL_BACKEND", "NAL_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    base = {"_env_file": None, "data_dir": tmp_path, "jwt_secret": "s" * 40}
    assert isinstance(build_mailer(Settings(**base)), FileMailer)  # type: ignore[arg-type]
    smtp = Settings(**base, smtp_host="mail.example.com")  # type: ignore[arg-type]
    assert isinstance(build_mailer(smtp), SmtpMailer)
    production = {
        **base,
        "mode": Mode.PRODUCTION,
        "database_url": "postgresql+asyncpg://db/notalabel",
        "redis_url": "redis://cache:6379/0",
        "voiceprint_key": "dm9pY2VwcmludC10ZXN0LWtleS0wMTIzNDU2Nzg5YWI",
    }
    with pytest.raises(ValidationError, match="NAL_SMTP_HOST"):
        Settings(**production)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="NAL_SMTP_HOST"):
        Settings(**production, mail_backend="file")  # type: ignore[arg-type]
    logged = Settings(**production, mail_backend="log")  # type: ignore[arg-type]
    assert isinstance(build_mailer(logged), LogMailer)
    with pytest.raises(ValidationError, match="NAL_SMTP_HOST"):
        Settings(**base, mail_backend="smtp")  # type: ignore[arg-type]


async def test_a_mail_server_that_is_down_is_a_clear_503_and_attaches_nothing(
    settings: Settings, database: Database
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    down = settings.model_copy(update={"smtp_port": closed_port})
    container = build_container(down, db=database)
    transport = httpx.ASGITransport(app=create_app(down, container))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        artist = await make_artist(container, "Offline Mail")
        response = await start(client, artist, "offline@example.com")
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "mail_unavailable"
        me = await client.get("/api/users/me", headers=artist.headers)
        assert me.json()["email"] is None


async def test_the_export_lists_codes_sent_but_never_a_code(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    artist = await make_artist(container, "Exported Mail")
    assert (await start(client, artist, "export@example.com")).status_code == 202
    code = mailbox.code_for("export@example.com")
    export = (await client.get("/api/users/me/export", headers=artist.headers)).json()
    [sent] = export["signIn"]["emailVerifications"]
    assert sent["email"] == "export@example.com"
    assert sent["closedAt"] is None
    expires = datetime.fromisoformat(sent["expiresAt"])
    created = datetime.fromisoformat(sent["createdAt"])
    assert expires - created == timedelta(minutes=15)
    assert set(sent) == {"email", "ipAddress", "createdAt", "expiresAt", "closedAt"}
    assert code not in json.dumps(export)


async def test_an_address_taken_meanwhile_is_409_at_verify_and_spends_the_code(
    client: httpx.AsyncClient, container: Container, mailbox: Mailbox
) -> None:
    first = await make_artist(container, "First Owner")
    second = await make_artist(container, "Second Try")
    assert (await start(client, second, "shared@example.com")).status_code == 202
    second_code = mailbox.code_for("shared@example.com")
    assert (await attach_email(client, first.headers, "shared@example.com", mailbox)).is_success
    taken = await verify(client, second, second_code)
    assert taken.status_code == 409, taken.text
    assert taken.json()["error"]["code"] == "email_taken"
    again = await verify(client, second, second_code)
    assert again.status_code == 400
    assert (await client.get("/api/users/me", headers=second.headers)).json()["email"] is None
