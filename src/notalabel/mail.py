"""Outgoing mail: one Mailer protocol, backends chosen by settings (smtp, .eml files, log)."""

from __future__ import annotations

import asyncio
import logging
import os
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from notalabel.config import Settings

log = logging.getLogger("notalabel.mail")
SMTP_TIMEOUT_SECONDS = 15


@dataclass(frozen=True, slots=True)
class MailMessage:
    """One plain-text email; `summary` is what logs may show (never a code or a secret)."""

    to: str
    subject: str
    body: str
    summary: str


class Mailer(Protocol):
    """Delivers mail; raises on failure so the caller can tell the user."""

    async def send(self, message: MailMessage) -> None:
        """Deliver one message."""


def build_message(sender: str, message: MailMessage) -> EmailMessage:
    """The RFC 5322 form of `message`."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="not-a-label.art")
    mail.set_content(message.body)
    return mail


class SmtpMailer:
    """Sends through an SMTP relay with the standard library, in a worker thread."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls

    async def send(self, message: MailMessage) -> None:
        """Deliver one message; smtplib blocks, so it runs off the event loop."""
        await asyncio.to_thread(self._send_blocking, build_message(self._sender, message))
        log.info("mail sent", extra={"to": message.to, "summary": message.summary})

    def _send_blocking(self, mail: EmailMessage) -> None:
        with smtplib.SMTP(self._host, self._port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
            if self._starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self._username:
                smtp.login(self._username, self._password or "")
            smtp.send_message(mail)


class FileMailer:
    """Embedded default: each message becomes an owner-only .eml file in a directory."""

    def __init__(self, directory: Path, *, sender: str) -> None:
        self._directory = directory
        self._sender = sender

    async def send(self, message: MailMessage) -> None:
        """Write the message as `<directory>/<time>-<id>.eml` (mode 0600)."""
        data = build_message(self._sender, message).as_bytes()
        path = await asyncio.to_thread(self._write, data)
        log.info(
            "mail written", extra={"to": message.to, "summary": message.summary, "path": str(path)}
        )

    def _write(self, data: bytes) -> Path:
        self._directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self._directory / f"{uuid.uuid4().hex}.eml"
        # created 0600 from the start: the message holds a code that attaches an email
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        return path


class LogMailer:
    """Only logs that a message would be sent (the body, which may hold a code, is left out)."""

    async def send(self, message: MailMessage) -> None:
        """Log the recipient and summary."""
        log.info(
            "mail not sent (log backend)", extra={"to": message.to, "summary": message.summary}
        )


def build_mailer(settings: Settings) -> Mailer:
    """The mail backend the settings pick."""
    backend = settings.effective_mail_backend
    if backend == "smtp" and settings.smtp_host:
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )
    if backend == "log":
        return LogMailer()
    return FileMailer(settings.data_dir / "mail", sender=settings.mail_from)
