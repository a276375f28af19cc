"""Driving the onboarding page `/` like a person: type a line, press Enter, wait for the answer."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.async_api import Page, expect

from tests.webapp.conftest import Tab

DESCRIPTION = "I love chill lo-fi beats for studying"
PROCESS = "**/api/auth/musical-identity/process"
PHONE_WIDTH = 360


def entries(page: Page, kind: str) -> Any:
    """Log entries of one kind: from-service, from-artist, entry-pattern, notice."""
    return page.locator(f"#conversation > li.{kind}")


async def open_page(tab: Tab) -> Page:
    """The onboarding page, greeted and with the prompt focused."""
    page = tab.page
    await page.goto(f"{tab.base}/")
    await expect(entries(page, "from-service").first).to_contain_text("Welcome")
    await expect(page.locator("#prompt")).to_be_focused()
    return page


async def answer_count(page: Page) -> int:
    """How many lines the service has said so far."""
    count: int = await entries(page, "from-service").count()
    return count


async def say(page: Page, text: str, *, keyboard: bool = False) -> None:
    """Type a line into the prompt, press Enter and wait for the service's answer."""
    before = await answer_count(page)
    if keyboard:
        await page.keyboard.type(text)
        await page.keyboard.press("Enter")
    else:
        await page.locator("#prompt").press_sequentially(text)
        await page.locator("#prompt").press("Enter")
    await expect(entries(page, "from-service")).to_have_count(before + 1)


async def pick(page: Page, reply: str) -> None:
    """Click a quick reply and wait for the service's answer."""
    before = await answer_count(page)
    await page.locator(".composer .chips").get_by_role("button", name=reply, exact=True).click()
    await expect(entries(page, "from-service")).to_have_count(before + 1)


async def codes_shown(page: Page) -> list[str]:
    """The recovery codes of the end panel (exactly 10 of them)."""
    codes = page.locator("ol.codes > li")
    await expect(codes).to_have_count(10)
    return [text.strip() for text in await codes.all_inner_texts()]


async def reach_codes(page: Page, name: str) -> list[str]:
    """From a fresh conversation to the recovery codes of a new account called `name`."""
    await say(page, DESCRIPTION)
    await expect(entries(page, "entry-pattern")).to_have_count(1)
    await pick(page, "love it")
    await say(page, name)
    await expect(entries(page, "from-service").last).to_contain_text("available")
    await pick(page, "yes")
    return await codes_shown(page)


async def fits_phone(page: Page) -> None:
    """Nothing is wider than the phone: no sideways scrolling."""
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, width


async def stored_auth(page: Page) -> dict[str, Any]:
    """What the page keeps in localStorage['nal.auth']."""
    raw = await page.evaluate("localStorage.getItem('nal.auth')")
    assert raw, "no sign-in stored"
    auth: dict[str, Any] = json.loads(raw)
    return auth


async def me(base: str, token: str, path: str = "/api/users/me") -> httpx.Response:
    """A signed-in GET against the app, outside the browser."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        return await http.get(path, headers={"Authorization": f"Bearer {token}"})


async def focused_text(page: Page) -> str:
    """The text (or label) of the focused element."""
    text: str = await page.evaluate(
        "(() => { const el = document.activeElement;"
        " return (el?.innerText || el?.getAttribute('aria-label') || el?.id || '').trim(); })()"
    )
    return text


async def tab_to(page: Page, name: str, *, backwards: bool = False, limit: int = 20) -> None:
    """Press Tab (or Shift+Tab) until the element named `name` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        await page.keyboard.press(key)
        if await focused_text(page) == name:
            return
    last = await focused_text(page)
    raise AssertionError(f"{name!r} is not reachable with {key} (last: {last!r})")
