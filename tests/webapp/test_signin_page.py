"""/signin in a real browser at phone width: password, recovery code, errors, keyboard only."""

from __future__ import annotations

import json
import os

import httpx
from playwright.async_api import Route, expect

from tests.webapp.account_support import (
    PASSWORD,
    fits_phone,
    new_account,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab, screenshot_path


async def test_recovery_code_signs_in_once(tab: Tab) -> None:
    done = await new_account(tab.base, "CodeKeeper")
    code = done["recoveryCodes"][3]
    page = tab.page
    await page.goto(f"{tab.base}/signin")
    assert await fits_phone(page)
    await page.get_by_label("Artist name", exact=True).fill("CodeKeeper")
    await page.get_by_label("Recovery code", exact=True).fill(code.upper())  # case does not matter
    await page.get_by_role("button", name="Sign in with the code").click()
    await expect(page).to_have_url(f"{tab.base}/me")
    await expect(page.get_by_role("heading", level=1)).to_have_text("@CodeKeeper")
    stored = await stored_auth(page)
    assert stored is not None
    assert stored["artistName"] == "CodeKeeper"
    assert stored["userId"] == done["user"]["id"]
    await expect(page.locator("#me-codes-left")).to_have_text("9 of 10 recovery codes left.")

    # the same code a second time: refused, in words
    await page.get_by_role("button", name="Sign out").click()
    await expect(page).to_have_url(f"{tab.base}/signin")
    await page.get_by_label("Artist name", exact=True).fill("CodeKeeper")
    await page.get_by_label("Recovery code", exact=True).fill(code)
    await page.get_by_role("button", name="Sign in with the code").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "That artist name and recovery code don't match. Each code works only once."
    )
    assert await stored_auth(page) is None
    assert without_http_errors(tab.log.errors, 401) == []


async def test_errors_are_shown_in_words(tab: Tab) -> None:
    await new_account(tab.base, "WrongTurns", password=PASSWORD)
    page = tab.page

    async def too_many(route: Route) -> None:
        await route.fulfill(
            status=429,
            headers={"retry-after": "42", "content-type": "application/json"},
            body=json.dumps({"error": {"code": "rate_limited", "message": "Slow down."}}),
        )

    await page.route("**/api/auth/login", too_many, times=1)
    await page.goto(f"{tab.base}/signin")
    await page.get_by_label("Email or artist name", exact=True).fill("WrongTurns")
    await page.get_by_label("Password", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="Sign in", exact=True).click()
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text("Too many attempts. Try again in 42 seconds.")

    await page.get_by_label("Password", exact=True).fill("not-the-password-at-all")
    await page.get_by_role("button", name="Sign in", exact=True).click()
    await expect(alert).to_contain_text("Wrong name or password.")
    await expect(page.get_by_label("Password", exact=True)).to_be_focused()
    assert await stored_auth(page) is None

    async def broken(route: Route) -> None:
        await route.fulfill(
            status=500,
            headers={"content-type": "application/json", "x-request-id": "req-123"},
            body=json.dumps({"error": {"code": "internal_error", "message": "It broke."}}),
        )

    await page.route("**/api/auth/recover", broken, times=1)
    await page.get_by_label("Artist name", exact=True).fill("WrongTurns")
    await page.get_by_label("Recovery code", exact=True).fill("aaaa-bbbb-cccc-dddd")
    await page.get_by_role("button", name="Sign in with the code").click()
    await expect(page.get_by_role("alert").filter(has_text="req-123")).to_have_text(
        "It broke. Please try again (reference req-123)."
    )
    assert without_http_errors(tab.log.errors, 401, 429, 500) == []


async def test_sign_in_with_the_keyboard_alone(tab: Tab) -> None:
    done = await new_account(tab.base, "KeysOnly", password=PASSWORD)
    page = tab.page
    await page.goto(f"{tab.base}/signin?next=/@KeysOnly")
    await expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    for _ in range(12):
        await page.keyboard.press("Tab")
        if await page.evaluate("() => document.activeElement.id") == "signin-identifier":
            break
    else:
        raise AssertionError("Tab never reached the name field")
    # the focused control is visibly outlined
    outline = await page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    await page.keyboard.type("KeysOnly")
    await page.keyboard.press("Tab")
    assert await page.evaluate("() => document.activeElement.id") == "signin-password"
    await page.keyboard.type(PASSWORD)
    if os.environ.get("NAL_SCREENSHOTS") == "1":
        await page.screenshot(path=screenshot_path("signin"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{tab.base}/@KeysOnly")
    stored = await stored_auth(page)
    assert stored is not None
    assert stored["artistName"] == "KeysOnly"
    async with httpx.AsyncClient(base_url=tab.base) as http:
        me = await http.get("/api/users/me", headers={"Authorization": f"Bearer {stored['token']}"})
    assert me.json()["id"] == done["user"]["id"]
    assert me.json()["loginMethod"] == "email"  # the server's name for a password sign-in

    # signed in, /signin says so instead of offering the forms again
    await page.goto(f"{tab.base}/signin")
    await expect(page.get_by_role("heading", name="You are signed in")).to_be_visible()
    await expect(page.get_by_role("link", name="Go to your account")).to_be_visible()
    assert tab.log.errors == []
