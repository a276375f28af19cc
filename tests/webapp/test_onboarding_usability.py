"""The onboarding page with the keyboard alone, with failing calls, and without layout shift."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from playwright.async_api import Route, expect

from tests.webapp.conftest import Tab
from tests.webapp.onboarding_flow import (
    DESCRIPTION,
    PROCESS,
    codes_shown,
    entries,
    fits_phone,
    focused_text,
    me,
    open_page,
    say,
    stored_auth,
    tab_to,
)

OUTLINE_JS = """
(() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {visible: el.matches(':focus-visible'), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth)};
})()
"""


async def assert_visible_focus(page: Any) -> None:
    """The focused element matches :focus-visible and draws an outline."""
    outline = await page.evaluate(OUTLINE_JS)
    assert outline["visible"], outline
    assert outline["style"] != "none", outline
    assert outline["width"] > 0, outline


async def press_reply(page: Any, reply: str, key: str) -> None:
    """From the prompt, Shift+Tab back to a quick reply and press it with `key`."""
    before = await entries(page, "from-service").count()
    await tab_to(page, reply, backwards=True)
    await assert_visible_focus(page)
    await page.keyboard.press(key)
    await expect(entries(page, "from-service")).to_have_count(before + 1)


async def test_the_whole_flow_works_with_the_keyboard_alone(tab: Tab) -> None:
    page = await open_page(tab)
    await say(page, DESCRIPTION, keyboard=True)
    await expect(page.locator("#conversation .pattern")).to_have_count(1)
    await expect(page.locator("#prompt")).to_be_focused()

    await press_reply(page, "more bass", "Space")
    await expect(page.locator("#conversation .pattern")).to_have_count(2)
    await expect(page.locator("#prompt")).to_be_focused()  # focus is back on the prompt
    await press_reply(page, "love it", "Enter")
    await say(page, "KeysOnly", keyboard=True)
    await press_reply(page, "yes", "Enter")
    await codes_shown(page)
    await expect(page.get_by_role("heading", name="Your recovery codes")).to_be_focused()

    await tab_to(page, "Download")
    await assert_visible_focus(page)
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "codes-saved"
    await assert_visible_focus(page)
    await page.keyboard.press("Space")
    await expect(page.get_by_label("I've saved my recovery codes")).to_be_checked()
    await tab_to(page, "Continue")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Add a passkey?")).to_be_focused()
    await tab_to(page, "Not now")
    await assert_visible_focus(page)
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{tab.base}/@KeysOnly")
    assert (await me(tab.base, (await stored_auth(page))["token"])).status_code == 200
    assert tab.log.errors == [], tab.log.errors


def failing(status: int, headers: dict[str, str], error: dict[str, Any]) -> Any:
    """A route handler answering every call with `status` and the API's error shape."""

    async def handle(route: Route) -> None:
        await route.fulfill(
            status=status,
            headers={"content-type": "application/json", **headers},
            body=json.dumps({"error": error}),
        )

    return handle


async def test_failed_calls_are_said_in_words_and_the_line_is_kept(tab: Tab) -> None:
    page = await open_page(tab)
    prompt = page.locator("#prompt")
    too_many = failing(
        429, {"retry-after": "42"}, {"code": "rate_limited", "message": "Too many requests."}
    )
    await page.route(PROCESS, too_many)
    await prompt.press_sequentially(DESCRIPTION)
    await prompt.press("Enter")
    alert = page.get_by_role("alert").last
    await expect(alert).to_have_text("Too many attempts. Try again in 42 seconds.")
    await expect(prompt).to_have_value(DESCRIPTION)
    await expect(prompt).to_be_focused()
    await expect(entries(page, "from-artist").last).to_have_class("from-artist unsent")
    await page.unroute(PROCESS, too_many)

    broken = failing(
        500,
        {"x-request-id": "req-123"},
        {"code": "internal_error", "message": "Something went wrong on our side."},
    )
    await page.route(PROCESS, broken)
    await prompt.press("Enter")
    await expect(page.get_by_role("alert")).to_have_count(2)
    said = await page.get_by_role("alert").last.inner_text()
    assert said == "Something went wrong on our side. Please try again (reference req-123)."
    await expect(prompt).to_have_value(DESCRIPTION)
    await page.unroute(PROCESS, broken)

    await prompt.press("Enter")  # the kept line, sent again, now goes through
    await expect(page.locator("#conversation .pattern")).to_have_count(1)
    await expect(prompt).to_have_value("")
    await fits_phone(page)
    # the browser reports each refused request on the console: those two, and nothing else
    expected = ("status of 429", "status of 500")
    assert [e for e in tab.log.errors if not any(s in e for s in expected)] == []
    assert len(tab.log.errors) == 2, tab.log.errors


SHIFTS_JS = """
window.nalShifts = [];
window.nalShiftObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.nalShifts.push({value: e.value, recent: e.hadRecentInput});
  }
});
window.nalShiftObserver.observe({type: 'layout-shift', buffered: true});
"""
TAKE_SHIFTS_JS = """
new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  for (const e of window.nalShiftObserver.takeRecords()) {
    window.nalShifts.push({value: e.value, recent: e.hadRecentInput});
  }
  resolve(window.nalShifts);
})))
"""


async def test_a_pattern_arriving_moves_nothing_on_screen(tab: Tab) -> None:
    page = await open_page(tab)

    # a slow answer: the pattern lands long after the keypress, when shifts count in full
    async def slow(route: Route) -> None:
        await asyncio.sleep(0.8)
        await route.continue_()

    await page.route(PROCESS, slow)
    await page.evaluate(SHIFTS_JS)
    await say(page, DESCRIPTION)
    card = page.locator("#conversation .pattern")
    await expect(card).to_have_count(1)
    await expect(card).to_have_attribute("data-player-state", "ready")  # the frame has loaded
    await say(page, "make it dreamy")
    await expect(card).to_have_count(2)
    await expect(card.nth(1)).to_have_attribute("data-player-state", "ready")
    shifts = await page.evaluate(TAKE_SHIFTS_JS)
    unexpected = sum(s["value"] for s in shifts if not s["recent"])
    assert unexpected < 0.01, shifts
    assert await focused_text(page) == "prompt"  # the prompt keeps the focus
    await page.unroute(PROCESS, slow)
    assert tab.log.errors == [], tab.log.errors
