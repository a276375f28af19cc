"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what the app sends, for reading codes."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from notalabel.config import Settings

_CODE = re.compile(r"\b(\d{6})\b")


class Mailbox:
    """Messages received by the local SMTP server, oldest first."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """aiosmtpd hook: keep the message."""
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        """Messages addressed to `address`."""
        return [m for m in self.messages if m["To"] == address]

    def code_for(self, address: str) -> str:
        """The 6-digit code in the latest message to `address`."""
        messages = self.to(address)
        assert messages, f"no mail to {address}"
        payload = messages[-1].get_payload(decode=True)
        assert isinstance(payload, bytes)
        found = _CODE.search(payload.decode())
        assert found is not None, payload
        return found.group(1)

    def settings_for(self, settings: Settings) -> Settings:
        """`settings` sending mail to this server."""
        return settings.model_copy(
            update={
                "mail_backend": "smtp",
                "smtp_host": "127.0.0.1",
                "smtp_port": self.port,
                "smtp_starttls": False,
            }
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_mailbox() -> Iterator[Mailbox]:
    """Start an SMTP server on a free local port for the duration of the block."""
    box = Mailbox()
    box.port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


async def attach_email(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, box: Mailbox
) -> httpx.Response:
    """Ask for a code for `email`, read it from the mail and send it back."""
    started = await client.post("/api/users/me/email", json={"email": email}, headers=headers)
    assert started.status_code == 202, started.text
    return await client.post(
        "/api/users/me/email/verify", json={"code": box.code_for(email)}, headers=headers
    )
