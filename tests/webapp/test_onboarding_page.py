"""The onboarding page `/` in headless Chromium at phone width: the conversation, resuming
after a reload, taken names, the recovery codes and the passkey offer."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
from playwright.async_api import expect

from tests.identity.factories import onboard
from tests.passkeys.browser import VIRTUAL_AUTHENTICATOR
from tests.webapp.conftest import Tab, screenshot_path
from tests.webapp.onboarding_flow import (
    DESCRIPTION,
    codes_shown,
    entries,
    fits_phone,
    me,
    open_page,
    pick,
    reach_codes,
    say,
    stored_auth,
)

SCREENSHOTS = os.environ.get("NAL_SCREENSHOTS") == "1"


async def test_a_whole_onboarding_typed_at_phone_width_ends_on_the_profile(tab: Tab) -> None:
    page = await open_page(tab)
    await say(page, DESCRIPTION)
    cards = page.locator("#conversation .pattern")
    await expect(cards).to_have_count(1)
    first = cards.nth(0)
    await expect(first.locator(".pattern-code")).not_to_be_empty()
    await expect(first.locator("dl.dna")).to_contain_text("Genre")
    assert (await first.locator("a.strudel-link").get_attribute("href") or "").startswith(
        "https://strudel.cc/"
    )
    await expect(page.locator("#prompt")).to_be_focused()
    await fits_phone(page)
    if SCREENSHOTS:
        await page.screenshot(path=screenshot_path("onboarding-pattern"))

    # Play runs the pattern in the sandboxed player: the scheduler starts, no eval error
    player = page.frame_locator("#conversation .pattern >> nth=0 >> iframe.player")
    await player.get_by_role("button", name="Play").click()
    await expect(first).to_have_attribute("data-player-state", "playing")
    frame = next(f for f in page.frames if f.url.split("#")[0].endswith("/player"))
    assert await frame.evaluate("window.nalRepl.scheduler.started") is True
    await player.get_by_role("button", name="Stop").click()
    await expect(first).to_have_attribute("data-player-state", "stopped")

    code_before = await first.locator(".pattern-code").inner_text()
    await page.locator("#prompt").press_sequentially("more bass")
    await page.locator("#prompt").press("Enter")
    await expect(cards).to_have_count(2)
    assert await cards.nth(1).locator(".pattern-code").inner_text() != code_before
    await expect(entries(page, "from-service").last).to_contain_text("bass")

    await say(page, "love it")
    await say(page, "PhoneBeats")
    await expect(entries(page, "from-service").last).to_contain_text('"PhoneBeats" is available')
    await say(page, "yes")
    codes = await codes_shown(page)
    await expect(page.locator("#prompt")).to_have_count(0)  # the conversation is over
    await expect(page.get_by_role("heading", name="Your recovery codes")).to_be_focused()
    await fits_phone(page)
    if SCREENSHOTS:
        await page.screenshot(path=screenshot_path("onboarding-codes"))

    async with page.expect_download() as downloading:
        await page.get_by_role("button", name="Download").click()
    download = await downloading.value
    assert download.suggested_filename.endswith(".txt")
    saved = await asyncio.to_thread(Path(await download.path()).read_text, "utf-8")
    assert all(code in saved for code in codes)
    assert "@PhoneBeats" in saved

    continue_ = page.get_by_role("button", name="Continue")
    await expect(continue_).to_be_disabled()
    await page.get_by_label("I've saved my recovery codes").check()
    await continue_.click()
    await page.get_by_role("button", name="Not now").click()
    await page.wait_for_url(f"{tab.base}/@PhoneBeats")
    # the new profile: the name, its signature pattern (playable) and the account's own links
    await expect(page.get_by_role("heading", level=1)).to_have_text("PhoneBeats")
    await expect(page.locator(".pattern iframe.player")).to_have_count(1)
    await expect(page.get_by_role("link", name="Edit your profile")).to_be_visible()

    auth = await stored_auth(page)
    assert auth["artistName"] == "PhoneBeats"
    assert await page.evaluate("localStorage.getItem('nal.onboarding')") is None
    # the codes were shown once and never stored
    storage = await page.evaluate("JSON.stringify(localStorage)")
    assert not any(code in storage for code in codes)
    response = await me(tab.base, auth["token"])
    assert response.status_code == 200
    assert response.json()["artistName"] == "PhoneBeats"
    assert tab.log.errors == [], tab.log.errors


async def test_a_reload_mid_flow_resumes_the_conversation(tab: Tab) -> None:
    page = await open_page(tab)
    # a session the service no longer knows: a short notice, then a new conversation
    await page.evaluate("localStorage.setItem('nal.onboarding', '{\"sessionId\": \"gone-1\"}')")
    await page.reload()
    await expect(entries(page, "notice")).to_have_text(
        "Your earlier conversation has ended, so let’s start a new one."
    )
    await expect(entries(page, "from-service").first).to_contain_text("Welcome")
    assert [e for e in tab.log.errors if "status of 404" not in e] == []
    tab.log.errors.clear()  # the browser logs the refused GET of the unknown session

    await say(page, DESCRIPTION)
    await say(page, "more bass")
    cards = page.locator("#conversation .pattern")
    await expect(cards).to_have_count(2)
    codes_before = await cards.locator(".pattern-code").all_inner_texts()

    await page.reload()
    await expect(entries(page, "notice")).to_contain_text("picking up where you left off")
    await expect(cards).to_have_count(2)
    assert await cards.locator(".pattern-code").all_inner_texts() == codes_before
    texts = await entries(page, "from-artist").all_inner_texts()
    assert texts == [DESCRIPTION, "more bass"]
    # still refining: the refinement replies are on offer and the prompt is ready
    chips = page.locator(".composer .chips")
    await expect(chips.get_by_role("button", name="love it")).to_be_visible()
    await expect(page.locator("#prompt")).to_be_focused()

    await pick(page, "love it")
    await say(page, "ReloadBeats")
    await page.reload()  # at confirmation this time
    await expect(entries(page, "from-service").last).to_contain_text("ReloadBeats")
    await pick(page, "yes")
    await codes_shown(page)

    # once the account exists a reload shows the signed-in state, never the codes again
    await page.reload()
    signed_in = page.get_by_role("heading", name="You're signed in as @ReloadBeats")
    await expect(signed_in).to_be_visible()
    await expect(page.locator("ol.codes")).to_have_count(0)
    await expect(page.get_by_role("link", name="Your profile @ReloadBeats")).to_have_attribute(
        "href", "/@ReloadBeats"
    )
    assert tab.log.errors == [], tab.log.errors


async def test_a_taken_name_offers_suggestions_that_can_be_picked(tab: Tab) -> None:
    async with httpx.AsyncClient(base_url=tab.base, timeout=30) as http:
        await onboard(http, "TakenBeats")
    page = await open_page(tab)
    await say(page, DESCRIPTION)
    await pick(page, "love it")
    await say(page, "TakenBeats")
    await expect(entries(page, "from-service").last).to_contain_text('"TakenBeats" is taken')
    suggestions = page.locator(".composer .chips button")
    await expect(suggestions.first).to_be_visible()
    names = await suggestions.all_inner_texts()
    assert names
    assert "TakenBeats" not in names
    await fits_phone(page)

    await suggestions.first.click()
    await expect(entries(page, "from-service").last).to_contain_text(f'"{names[0]}" is available')
    chips = page.locator(".composer .chips")
    await expect(chips.get_by_role("button", name="yes", exact=True)).to_be_visible()
    await expect(chips.get_by_role("button", name="no", exact=True)).to_be_visible()
    assert tab.log.errors == [], tab.log.errors


async def test_the_passkey_offer_registers_one(tab: Tab) -> None:
    page = tab.page
    cdp = await tab.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    page = await open_page(tab)
    await reach_codes(page, "KeyedBeats")
    await page.get_by_label("I've saved my recovery codes").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_role("button", name="Add a passkey").click()
    await page.wait_for_url(f"{tab.base}/@KeyedBeats")

    auth = await stored_auth(page)
    passkeys = await me(tab.base, auth["token"], "/api/users/me/passkeys")
    assert passkeys.status_code == 200
    assert len(passkeys.json()) == 1
    assert tab.log.errors == [], tab.log.errors


async def test_a_use_without_a_style_shows_the_genre_picked_for_the_artist(tab: Tab) -> None:
    page = await open_page(tab)
    await say(page, "music to focus")
    card = page.locator("#conversation .pattern").nth(0)
    await expect(card.locator("dl.dna")).to_contain_text("lo-fi (picked for you)")
    await expect(entries(page, "from-service").last).to_contain_text("you didn't name a style")
    await page.evaluate("localStorage.clear()")
    page = await open_page(tab)
    await say(page, "chill lo-fi beats")
    named = page.locator("#conversation .pattern").nth(0)
    await expect(named.locator("dl.dna")).to_contain_text("lo-fi")
    await expect(named.locator("dl.dna")).not_to_contain_text("picked for you")
