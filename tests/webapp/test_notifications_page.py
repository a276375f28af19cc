"""The bell and `/notifications` in real Chromium: a like by another artist, then mark read."""

from __future__ import annotations

from playwright.async_api import expect

from tests.webapp.account_support import new_account, sign_in_page
from tests.webapp.conftest import Tab
from tests.webapp.test_community_page import call


async def test_likes_ring_the_bell_live_and_read_on_the_notifications_page(tab: Tab) -> None:
    maker = await new_account(tab.base, "Bell Maker", "chill lo-fi beats with rain and vinyl")
    fan = await new_account(tab.base, "Bell Fan", "fast energetic techno")
    pattern = await call(
        tab.base, maker, "POST", "/api/patterns",
        json={"description": "dreamy ambient pads", "title": "Ring Me"},
    )  # fmt: skip
    await call(tab.base, fan, "PUT", f"/api/patterns/{pattern['id']}/like")
    page = tab.page
    await sign_in_page(page, tab.base, maker)
    await page.goto(f"{tab.base}/discover")

    bell = page.locator("#bell")
    await expect(bell.locator("#bell-count")).to_have_text("1")
    await expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    # another artist likes another pattern: the socket brings it, no reload
    second = await call(
        tab.base, maker, "POST", "/api/patterns",
        json={"description": "fast techno", "title": "Second"},
    )  # fmt: skip
    await page.evaluate("window.reloaded = false")
    await call(tab.base, fan, "PUT", f"/api/patterns/{second['id']}/like")
    await expect(bell.locator("#bell-count")).to_have_text("2")
    assert await page.evaluate("window.reloaded") is False
    await bell.click()
    await expect(page).to_have_url(f"{tab.base}/notifications")
    item = page.locator(".notification").last
    await expect(page.locator(".notification").first).to_contain_text("Bell Fan liked “Second”")
    await expect(item).to_contain_text("Bell Fan liked “Ring Me”")
    await expect(item).to_have_class("notification unread")

    await page.get_by_role("button", name="Mark all read").click()
    await expect(page.locator("#status")).to_have_text("All notifications marked read.")
    await expect(bell.locator("#bell-count")).to_be_hidden()
    await expect(item).to_have_class("notification")
    # the link opens the pattern
    await item.get_by_role("link").click()
    await expect(page).to_have_url(f"{tab.base}/p/{pattern['id']}")


async def test_the_notifications_page_asks_a_visitor_to_sign_in(tab: Tab) -> None:
    await tab.page.goto(f"{tab.base}/notifications")
    link = tab.page.get_by_role("link", name="Sign in").last
    await expect(link).to_have_attribute("href", "/signin?next=/notifications")
