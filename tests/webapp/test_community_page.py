"""`/community` and the profile's collaborators in real Chromium: matches, asking, accepting."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.async_api import expect

from tests.webapp.account_support import new_account, sign_in_page
from tests.webapp.conftest import Tab


async def call(base: str, account: dict[str, Any], method: str, path: str, **kw: Any) -> Any:
    """One API call with the account's token; the parsed answer."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        answer = await http.request(
            method, path, headers={"Authorization": f"Bearer {account['token']}"}, **kw
        )
    assert answer.is_success, answer.text
    return answer.json()


async def test_an_artist_finds_matches_asks_and_accepts_on_the_community_page(tab: Tab) -> None:
    rain = await new_account(tab.base, "Rain Loops", "chill lo-fi beats with rain and vinyl")
    vinyl = await new_account(
        tab.base, "Vinyl Days", "mellow chill lo-fi hip hop with vinyl crackle and rain"
    )
    await new_account(tab.base, "Sax Night", "fast energetic complex jazz with saxophone")
    page = tab.page
    await sign_in_page(page, tab.base, rain)

    await page.goto(f"{tab.base}/community")

    matches = page.locator(".matches")
    await expect(matches.get_by_role("link", name="Vinyl Days")).to_be_visible()
    await expect(matches.locator(".reasons").first).to_contain_text("Both love lo-fi music")

    # asking: lo-fi and jazz fuse (0.36) and the complexity gap is 6 (0.3)
    card = page.locator(".collaboration").first
    await expect(card).to_contain_text("Genre fusion")
    await card.get_by_label("Message (optional)").fill("Fusion?")
    await card.get_by_role("button", name="Ask Sax Night to collaborate").click()
    await expect(page.locator("#outgoing")).to_contain_text("To Sax Night")
    # the suggestion, drawn again with the open request, offers no second ask
    await expect(card.locator(".done")).to_have_text("Request sent to Sax Night.")
    await expect(card.get_by_role("button", name="Ask Sax Night to collaborate")).to_have_count(0)
    await page.reload()
    await expect(page.locator(".collaboration").first.locator(".done")).to_have_text(
        "Request sent to Sax Night."
    )

    # accepting: Vinyl Days asks, Rain Loops says yes on the page
    await call(
        tab.base, vinyl, "POST", f"/api/community/collaborations/{rain['user']['id']}/request",
        json={"message": "Let's make a rainy tape"},
    )  # fmt: skip
    await page.reload()
    incoming = page.locator("#incoming")
    await expect(incoming).to_contain_text("From Vinyl Days")
    await expect(incoming).to_contain_text("Let's make a rainy tape")
    await incoming.get_by_role("button", name="Accept").click()
    await expect(page.locator("#status")).to_have_text("You now collaborate with Vinyl Days.")
    await expect(page.locator("#incoming")).to_have_count(0)

    await page.goto(f"{tab.base}/@Rain%20Loops")
    collaborators = page.locator(".collaborators")
    await expect(collaborators.get_by_role("link", name="Vinyl Days")).to_be_visible()
    await page.goto(f"{tab.base}/@Vinyl%20Days")
    await expect(page.locator(".collaborators")).to_contain_text("Rain Loops")


async def test_the_community_page_asks_a_visitor_to_sign_in(tab: Tab) -> None:
    await tab.page.goto(f"{tab.base}/community")
    link = tab.page.get_by_role("link", name="Sign in").last
    await expect(link).to_have_attribute("href", "/signin?next=/community")
