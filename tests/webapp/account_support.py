"""Shared pieces of the sign-in and account page tests: one browser per module, accounts made
over HTTP and put into the page's storage, and the console lines an expected HTTP error makes."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Page, Route

from tests.identity.factories import DESCRIPTION, onboard
from tests.passkeys.browser import VIRTUAL_AUTHENTICATOR
from tests.webapp.conftest import Tab
from tests.webapp.harness import PHONE

PASSWORD = "violet-tape-hiss-1987"


async def new_account(
    base: str, name: str, description: str = DESCRIPTION, *, password: str | None = None
) -> dict[str, Any]:
    """An account made through the onboarding API (optionally with a password)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        done = await onboard(http, name, description)
        if password:
            answer = await http.put(
                "/api/users/me/password",
                json={"password": password},
                headers={"Authorization": f"Bearer {done['token']}"},
            )
            assert answer.status_code == 200, answer.text
    return done


async def sign_in_page(page: Page, base: str, done: dict[str, Any]) -> None:
    """Store an account's tokens in the page the way the app does (no init script, so a
    sign-out stays signed out)."""
    await page.goto(f"{base}/api/health")
    auth = {
        "token": done["token"],
        "refreshToken": done["refreshToken"],
        "artistName": done["user"]["artistName"],
        "userId": done["user"]["id"],
    }
    await page.evaluate("(auth) => localStorage.setItem('nal.auth', auth)", json.dumps(auth))


async def stored_auth(page: Page) -> dict[str, Any] | None:
    """What the page keeps in localStorage under nal.auth."""
    raw = await page.evaluate("() => localStorage.getItem('nal.auth')")
    return None if raw is None else dict(json.loads(raw))


async def add_authenticator(tab: Tab) -> None:
    """A CTAP2 platform authenticator that always verifies the user."""
    cdp = await tab.context.new_cdp_session(tab.page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})


async def fits_phone(page: Page) -> bool:
    """No horizontal scrolling at 360 px."""
    width = await page.evaluate("() => document.documentElement.scrollWidth")
    return int(width) <= PHONE["width"]


def without_http_errors(errors: list[str], *statuses: int) -> list[str]:
    """The log minus Chromium's line for each deliberately provoked HTTP status."""
    expected = tuple(f"status of {status} " for status in statuses)
    return [
        line
        for line in errors
        if not ("Failed to load resource" in line and any(s in line for s in expected))
    ]


def mailed_code(mail_dir: Path, address: str) -> str:
    """The 6-digit code in the newest message the file mailer wrote to `address`."""
    messages = sorted(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    for path in reversed(messages):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            found = re.search(r"\b(\d{6})\b", body.get_content())
            assert found, body.get_content()
            return found.group(1)
    raise AssertionError(f"no mail to {address} in {mail_dir}")


async def stale_once(page: Page, pattern: str) -> list[str]:
    """Answer the next request to `pattern` as the server does ten minutes after sign-in."""
    asked: list[str] = []

    async def stale(route: Route) -> None:
        asked.append(route.request.url)
        await route.fulfill(
            status=401,
            headers={"content-type": "application/json"},
            body=json.dumps(
                {"error": {"code": "reauthentication_required", "message": "Confirm it is you."}}
            ),
        )

    await page.route(pattern, stale, times=1)
    return asked
