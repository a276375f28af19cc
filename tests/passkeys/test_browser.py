"""End to end in headless Chromium with a CDP virtual authenticator against the running app.

Set NAL_RECORD_PASSKEY_FIXTURES=1 to also rewrite the recorded fixtures in fixtures/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import async_playwright
from webauthn.helpers import base64url_to_bytes

from notalabel.passkeys.exceptions import InvalidPasskey
from notalabel.passkeys.verification import RelyingParty, verify_authentication, verify_registration
from tests.identity.factories import onboard
from tests.passkeys.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REGISTER_JS,
    SIGN_IN_JS,
    VIRTUAL_AUTHENTICATOR,
    free_port,
    require_chromium,
    running_app,
)

FIXTURES = Path(__file__).parent / "fixtures"


async def test_register_and_sign_in_with_a_passkey_in_chromium(tmp_path: Path) -> None:
    require_chromium()
    port = free_port()
    origin = f"http://localhost:{port}"
    with running_app(tmp_path, port) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            token = (await onboard(http, "ChromiumBeats"))["token"]
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                try:
                    context = await browser.new_context()
                    page = await context.new_page()
                    await page.goto(f"{origin}/api/health")
                    cdp = await context.new_cdp_session(page)
                    await cdp.send("WebAuthn.enable")
                    await cdp.send(
                        "WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR}
                    )

                    registered = await page.evaluate(REGISTER_JS, {"token": token})
                    assert registered["status"] == 201, registered
                    assert registered["body"]["name"] == "Chromium"

                    signed = await page.evaluate(SIGN_IN_JS, {"artistName": None, "submit": True})
                    assert signed.get("status") == 200, signed
                    new_token = signed["body"]["token"]
                    me = await http.get(
                        "/api/users/me", headers={"Authorization": f"Bearer {new_token}"}
                    )
                    assert me.status_code == 200
                    assert me.json()["artistName"] == "ChromiumBeats"

                    # an answer the app would take is still refused for another origin or rp id
                    pending = await page.evaluate(
                        SIGN_IN_JS, {"artistName": "ChromiumBeats", "submit": False}
                    )
                    _refused_elsewhere(registered, pending, origin)
                    accepted = await http.post(
                        "/api/auth/passkey",
                        json={
                            "challengeId": pending["challengeId"],
                            "credential": pending["credential"],
                        },
                    )
                    assert accepted.status_code == 200, accepted.text

                    # and the browser itself will not use the passkey from another origin
                    await page.goto(f"http://127.0.0.1:{port}/api/health")
                    foreign = await page.evaluate(SIGN_IN_JS, {"artistName": None, "submit": True})
                    assert foreign.get("error") == "SecurityError", foreign
                finally:
                    await browser.close()
    if os.environ.get("NAL_RECORD_PASSKEY_FIXTURES") == "1":
        _record(registered, signed, origin)


def _refused_elsewhere(registered: dict[str, Any], pending: dict[str, Any], origin: str) -> None:
    home = RelyingParty("localhost", "Not a Label", (origin,))
    challenge = base64url_to_bytes(registered["options"]["challenge"])
    stored = verify_registration(home, registered["credential"], challenge)
    asked = base64url_to_bytes(pending["options"]["challenge"])
    for elsewhere in (
        RelyingParty("localhost", "Not a Label", ("http://localhost:1",)),
        RelyingParty("not-a-label.art", "Not a Label", (origin,)),
    ):
        with pytest.raises(InvalidPasskey):
            verify_authentication(
                elsewhere,
                pending["credential"],
                asked,
                public_key=stored.public_key,
                sign_count=0,
            )


def _record(registered: dict[str, Any], signed: dict[str, Any], origin: str) -> None:
    common = {"rpId": "localhost", "origin": origin}
    fixtures = {
        "registration.json": {
            **common,
            "challenge": registered["options"]["challenge"],
            "credential": registered["credential"],
        },
        "authentication.json": {
            **common,
            "challenge": signed["options"]["challenge"],
            "credential": signed["credential"],
        },
    }
    for name, body in fixtures.items():
        (FIXTURES / name).write_text(json.dumps(body, indent=2) + "\n")
