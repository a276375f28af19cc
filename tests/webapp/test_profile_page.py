"""The public profile page `/@{artistName}` in real Chromium at phone width."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

from playwright.async_api import expect

from tests.webapp.account_support import fits_phone, new_account, sign_in_page
from tests.webapp.conftest import Tab, screenshot_path
from tests.webapp.test_community_page import call


def profile_url(base: str, name: str) -> str:
    return f"{base}/@{quote(name)}"


async def test_a_visitor_sees_the_artist_their_counts_and_signature_pattern(tab: Tab) -> None:
    account = await new_account(tab.base, "Visible Artist", "dreamy ambient with rain")
    page = tab.page
    await page.goto(profile_url(tab.base, "visible artist"))  # any spelling finds the artist

    await expect(page.get_by_role("heading", level=1)).to_have_text("Visible Artist")
    assert page.url.endswith("/@Visible%20Artist")  # the address follows the real spelling
    bio = account["user"]["bio"]
    if bio:
        await expect(page.locator(".bio")).to_have_text(bio)
    counts = page.get_by_role("list", name="Counts")
    await expect(counts.locator("li").first).to_have_text("0 followers")
    await expect(counts.locator("li").last).to_have_text("1 pattern")
    await expect(page.get_by_text("Joined ")).to_be_visible()
    card = page.get_by_role("article", name="Signature")
    code = account["user"]["signaturePattern"]["strudelCode"]
    await expect(card.get_by_label("Strudel code")).to_have_text(code)
    await expect(card.get_by_role("link", name="Open in strudel.cc")).to_be_visible()
    await expect(card.get_by_label("Music DNA")).to_contain_text("ambient")
    await expect(page.locator("iframe.player")).to_have_count(1)
    # anonymous: no Follow button, a way to sign in instead
    await expect(page.get_by_role("button", name="Follow")).to_have_count(0)
    await expect(page.get_by_role("link", name="Sign in").last).to_be_visible()
    assert await fits_phone(page)
    assert tab.log.errors == []


async def test_an_unknown_artist_is_said_in_words(tab: Tab) -> None:
    page = tab.page
    await page.goto(profile_url(tab.base, "Nobody Here Yet"))
    await expect(page.get_by_role("alert")).to_have_text("No artist called Nobody Here Yet.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Artist not found")
    # the API's 404 is the one console line Chromium writes for the failed fetch
    assert [e for e in tab.log.errors if "404" not in e] == []


async def test_a_server_error_is_said_in_words_with_a_retry(tab: Tab) -> None:
    await new_account(tab.base, "Flaky Artist")
    page = tab.page
    failures = {"left": 1}

    async def fail_once(route: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            await route.fulfill(
                status=503,
                headers={"content-type": "application/json", "x-request-id": "req-42"},
                body=json.dumps({"error": {"code": "unavailable", "message": "Busy right now."}}),
            )
        else:
            await route.continue_()

    await page.route("**/api/users/Flaky%20Artist", fail_once)
    await page.goto(profile_url(tab.base, "Flaky Artist"))
    await expect(page.get_by_role("alert")).to_contain_text("Busy right now.")
    await expect(page.get_by_role("alert")).to_contain_text("req-42")
    await page.get_by_role("button", name="Try again").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Flaky Artist")
    assert [e for e in tab.log.errors if "503" not in e] == []


async def test_follow_unfollow_block_and_unblock_show_the_relationship(tab: Tab) -> None:
    await new_account(tab.base, "Followed One")
    fan = await new_account(tab.base, "Keen Fan")
    page = tab.page
    await sign_in_page(page, tab.base, fan)
    await page.goto(profile_url(tab.base, "Followed One"))
    counts = page.get_by_role("list", name="Counts")
    await expect(counts.locator("li").first).to_have_text("0 followers")

    await page.get_by_role("button", name="Follow").click()
    await expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    await expect(counts.locator("li").first).to_have_text("1 follower")  # no reload needed
    await expect(page.locator("#status")).to_have_text("You follow Followed One.")

    await page.reload()
    await expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    await expect(counts.locator("li").first).to_have_text("1 follower")
    await page.get_by_role("button", name="Unfollow").click()
    await expect(page.get_by_role("button", name="Follow")).to_be_visible()
    await expect(counts.locator("li").first).to_have_text("0 followers")

    await page.get_by_role("button", name="Follow").click()
    await expect(counts.locator("li").first).to_have_text("1 follower")
    await page.get_by_role("button", name="Block").click()
    await expect(page.get_by_role("button", name="Unblock")).to_be_visible()
    await expect(counts.locator("li").first).to_have_text(
        "0 followers"
    )  # the block ended the follow
    await expect(page.get_by_role("button", name="Follow")).to_be_hidden()

    # after a reload the block hides the profile; its author can lift it from there
    await page.reload()
    await expect(page.get_by_role("alert")).to_have_text("No artist called Followed One.")
    await expect(page.get_by_text("You blocked Followed One")).to_be_visible()
    await page.get_by_role("button", name="Unblock").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Followed One")
    await expect(page.get_by_role("button", name="Follow")).to_be_visible()
    assert [e for e in tab.log.errors if "404" not in e] == []


async def test_an_artist_on_their_own_profile_gets_a_link_to_their_settings(tab: Tab) -> None:
    me = await new_account(tab.base, "Self Viewer")
    page = tab.page
    await sign_in_page(page, tab.base, me)
    await page.goto(profile_url(tab.base, "Self Viewer"))
    await expect(page.get_by_role("link", name="Edit your profile")).to_have_attribute(
        "href", "/me"
    )
    await expect(page.get_by_role("button", name="Follow")).to_have_count(0)
    await expect(page.get_by_role("button", name="Block")).to_have_count(0)
    assert tab.log.errors == []


async def test_the_profile_works_with_the_keyboard_alone_at_phone_width(tab: Tab) -> None:
    await new_account(tab.base, "Keyboard Idol", "dark techno")
    fan = await new_account(tab.base, "Keyboard Fan")
    page = tab.page
    await sign_in_page(page, tab.base, fan)
    await page.goto(profile_url(tab.base, "Keyboard Idol"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard Idol")
    follow = page.get_by_role("button", name="Follow")

    for _ in range(30):  # Tab until Follow has the focus
        await page.keyboard.press("Tab")
        if await follow.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("Follow is not reachable with Tab")
    await page.keyboard.press("Enter")
    counts = page.get_by_role("list", name="Counts")
    await expect(counts.locator("li").first).to_have_text("1 follower")
    await expect(page.get_by_role("button", name="Unfollow")).to_be_focused()

    # on through the card into the player frame, then Space plays
    frame = page.frame_locator("iframe.player")
    play = frame.get_by_role("button", name="Play")
    await expect(play).to_be_enabled()
    for _ in range(30):
        await page.keyboard.press("Tab")
        if await play.evaluate(
            "button => button === document.activeElement && document.hasFocus()"
        ):
            break
    else:
        raise AssertionError("the player's Play button is not reachable with Tab")
    await page.keyboard.press("Space")
    await expect(page.locator(".pattern")).to_have_attribute(
        "data-player-state", "playing", timeout=30_000
    )
    await expect(frame.get_by_role("button", name="Stop")).to_be_visible()
    assert await fits_phone(page)
    if os.environ.get("NAL_SCREENSHOTS") == "1":
        await page.locator(".pattern").scroll_into_view_if_needed()
        await page.screenshot(path=screenshot_path("profile"), full_page=True)
    assert tab.log.errors == []


async def test_achievements_earned_from_a_like_and_a_follow_show_on_the_profile(tab: Tab) -> None:
    maker = await new_account(tab.base, "Earning Artist", "chill lo-fi beats with rain")
    fan = await new_account(tab.base, "Earning Fan", "fast energetic techno")
    signature = maker["user"]["signaturePattern"]["id"]
    await call(tab.base, fan, "PUT", f"/api/patterns/{signature}/like")
    await call(tab.base, fan, "POST", f"/api/users/{maker['user']['id']}/follow")
    page = tab.page
    await page.goto(profile_url(tab.base, "Earning Artist"))

    chips = page.get_by_role("region", name="Achievements").get_by_role("listitem")
    await expect(chips).to_have_text(
        ["First beat", "Musical identity created", "First like", "First follower"]
    )
    assert tab.log.errors == []
