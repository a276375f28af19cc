"""/me in a real browser at phone width: email and password, passkeys with re-authentication,
devices, and token refresh in the page."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Route, expect

from tests.passkeys.browser import free_port, require_chromium, running_app
from tests.webapp.account_support import (
    PASSWORD,
    add_authenticator,
    fits_phone,
    mailed_code,
    new_account,
    sign_in_page,
    stale_once,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab, screenshot_path
from tests.webapp.harness import strudel_package


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's data directory: its file mailer writes the email codes under mail/."""
    return tmp_path_factory.mktemp("account")


@pytest.fixture(scope="module")
def app_base(app_dir: Path) -> Iterator[str]:
    """The real app (embedded SQLite, file mailer) for this module."""
    require_chromium()
    strudel_package()
    port = free_port()
    with running_app(app_dir, port):
        yield f"http://localhost:{port}"


async def refresh_status(base: str, refresh_token: str) -> int:
    async with httpx.AsyncClient(base_url=base) as http:
        answer = await http.post("/api/auth/refresh", json={"refreshToken": refresh_token})
    return answer.status_code


async def test_attach_email_set_password_sign_out_and_back_in(tab: Tab, app_dir: Path) -> None:
    done = await new_account(tab.base, "MailAndKey")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("@MailAndKey")
    await expect(page.locator("#me-email-status")).to_have_text("No email yet.")

    await page.get_by_label("Email", exact=True).fill("mail.and.key@example.com")
    await page.get_by_role("button", name="Send me a code").click()
    code_field = page.get_by_label("The 6-digit code")
    await expect(code_field).to_be_focused()
    await code_field.fill(mailed_code(app_dir / "mail", "mail.and.key@example.com"))
    await page.get_by_role("button", name="Confirm email").click()
    await expect(page.locator("#me-email-status")).to_have_text(
        "Your sign-in email is mail.and.key@example.com."
    )

    # a weak password is refused next to its field, in words
    await page.get_by_label("New password").fill("short")
    await page.get_by_role("button", name="Set password").click()
    await expect(page.locator("#me-new-password-error")).to_have_text("Use at least 10 characters.")
    await expect(page.get_by_label("New password")).to_have_attribute("aria-invalid", "true")
    await page.get_by_label("New password").fill(PASSWORD)
    await page.get_by_role("button", name="Set password").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Your password is set. You can sign in with it."
    )
    await expect(page.get_by_label("Current password")).to_be_visible()
    assert await fits_phone(page)
    if os.environ.get("NAL_SCREENSHOTS") == "1":
        await page.evaluate("() => window.scrollTo(0, 0)")
        await page.screenshot(path=screenshot_path("account"))

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{tab.base}/signin")
    assert await stored_auth(page) is None
    await page.get_by_label("Email or artist name", exact=True).fill("mail.and.key@example.com")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(page).to_have_url(f"{tab.base}/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("@MailAndKey")
    assert without_http_errors(tab.log.errors, 422) == []


async def test_add_a_passkey_after_reauthenticating_then_sign_in_with_it(tab: Tab) -> None:
    done = await new_account(tab.base, "KeyOfMine")
    page = tab.page
    await add_authenticator(tab)
    await sign_in_page(page, tab.base, done)
    # the sign-in is fresh, so make the server ask once as it would ten minutes later
    asked = await stale_once(page, "**/api/passkeys/registration/options")
    await page.goto(f"{tab.base}/me")
    await expect(page.get_by_text("No passkeys yet.")).to_be_visible()
    await page.get_by_label("Name for the new passkey").fill("Phone")
    await page.get_by_role("button", name="Add a passkey").click()

    dialog = page.get_by_role("dialog", name="Confirm it's you")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Your password")).to_be_focused()
    assert await fits_phone(page)
    # a wrong code is refused in words, the dialog stays
    await dialog.get_by_label("A recovery code").fill("aaaa-bbbb-cccc-dddd")
    await dialog.get_by_role("button", name="Confirm with code").click()
    await expect(dialog.get_by_role("alert")).to_have_text(
        "That is not right. Check it and try again."
    )
    before = await stored_auth(page)
    await dialog.get_by_label("A recovery code").fill(done["recoveryCodes"][0])
    await dialog.get_by_role("button", name="Confirm with code").click()
    await expect(dialog).to_have_count(0)
    await expect(page.get_by_role("list", name="Your passkeys")).to_contain_text("Phone")
    assert len(asked) == 1
    after = await stored_auth(page)
    assert before is not None
    assert after is not None
    assert after["token"] != before["token"]  # the re-authentication's fresh tokens were kept

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{tab.base}/signin")
    await page.get_by_role("button", name="Sign in with a passkey").click()
    await expect(page).to_have_url(f"{tab.base}/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("@KeyOfMine")
    await expect(page.locator("#devices li.current")).to_contain_text("passkey")
    assert without_http_errors(tab.log.errors, 401) == []


async def test_a_second_device_is_listed_and_can_be_signed_out(tab: Tab) -> None:
    done = await new_account(tab.base, "TwoPlaces")
    async with httpx.AsyncClient(base_url=tab.base) as http:
        other = await http.post(
            "/api/auth/recover",
            json={"artistName": "TwoPlaces", "recoveryCode": done["recoveryCodes"][5]},
            headers={"user-agent": "OtherPhone/1.0"},
        )
    assert other.status_code == 200, other.text
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")
    devices = page.get_by_role("list", name="Signed-in devices")
    await expect(devices.get_by_role("listitem")).to_have_count(2)
    await expect(devices.locator("li.current")).to_contain_text("(this device)")
    elsewhere = devices.get_by_role("listitem").filter(has_text="OtherPhone/1.0")
    await expect(elsewhere).not_to_contain_text("(this device)")
    await elsewhere.get_by_role("button", name="Sign this device out").click()
    await expect(devices.get_by_role("listitem")).to_have_count(1)
    await expect(devices.get_by_role("listitem")).to_contain_text("(this device)")
    await expect(page.get_by_role("status")).to_have_text("That device is signed out.")
    assert await refresh_status(tab.base, other.json()["refreshToken"]) == 401
    # and the security log says so
    await expect(page.get_by_role("list", name="Security events")).to_contain_text(
        "Signed in with a recovery code"
    )
    assert tab.log.errors == []


async def test_the_page_refreshes_tokens_and_sign_out_ends_them(tab: Tab) -> None:
    done = await new_account(tab.base, "FreshTokens")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    rejected: list[str] = []

    async def expired(route: Route) -> None:
        rejected.append(route.request.url)
        await route.fulfill(
            status=401,
            headers={"content-type": "application/json"},
            body=json.dumps({"error": {"code": "unauthorized", "message": "Token expired."}}),
        )

    await page.route("**/api/users/me", expired, times=1)
    await page.goto(f"{tab.base}/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("@FreshTokens")
    assert len(rejected) == 1
    stored = await stored_auth(page)
    assert stored is not None
    assert stored["refreshToken"] != done["refreshToken"]
    assert stored["token"] != done["token"]

    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{tab.base}/signin")
    assert await stored_auth(page) is None
    assert await refresh_status(tab.base, stored["refreshToken"]) == 401
    assert await refresh_status(tab.base, done["refreshToken"]) == 401
    assert without_http_errors(tab.log.errors, 401) == []


async def test_signed_out_visitors_are_sent_to_sign_in(tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{tab.base}/me")
    await expect(page.get_by_text("You are not signed in.")).to_be_visible()
    await page.get_by_role("link", name="Sign in", exact=True).last.click()
    await expect(page).to_have_url(f"{tab.base}/signin?next=/me")
    assert tab.log.errors == []
