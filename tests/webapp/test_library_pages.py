"""The library's pages (`/p/{id}`, `/@{name}/patterns`, `/discover`) in real Chromium."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import httpx
from playwright.async_api import Route, expect

from tests.webapp.account_support import (
    fits_phone,
    new_account,
    sign_in_page,
    without_http_errors,
)
from tests.webapp.conftest import Tab, screenshot_path


async def save_pattern(base: str, account: dict[str, Any], **body: Any) -> dict[str, Any]:
    """A pattern saved through the API with the account's token."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        answer = await http.post(
            "/api/patterns",
            json=body,
            headers={"Authorization": f"Bearer {account['token']}"},
        )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def screenshot(tab: Tab, name: str) -> None:
    if os.environ.get("NAL_SCREENSHOTS") == "1":
        await tab.page.screenshot(path=screenshot_path(name), full_page=True)


async def test_the_creator_likes_comments_and_refines_on_the_pattern_page(tab: Tab) -> None:
    account = await new_account(tab.base, "Tape Weaver")
    pattern = await save_pattern(
        tab.base, account, description="dreamy ambient with rain", title="Rain Study"
    )
    page = tab.page
    await sign_in_page(page, tab.base, account)
    await page.goto(f"{tab.base}/p/{pattern['id']}")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Rain Study")
    card = page.get_by_role("article", name="Rain Study").locator(".pattern")
    await expect(card.get_by_label("Strudel code")).to_have_text(pattern["code"])
    await expect(page.locator("#likes-count")).to_have_text("0 likes")

    await page.get_by_role("button", name="Like").click()
    await expect(page.locator("#likes-count")).to_have_text("1 like")
    await expect(page.get_by_role("button", name="Unlike")).to_have_attribute(
        "aria-pressed", "true"
    )

    await page.get_by_label("Your comment").fill("Lovely rain, more of this please")
    await page.get_by_role("button", name="Add comment").click()
    comments = page.get_by_role("list", name="Comments")
    await expect(comments.locator(".comment-body")).to_have_text(
        ["Lovely rain, more of this please"]
    )
    await expect(page.locator("#comments-count")).to_have_text("1 comment")
    await expect(page.get_by_label("Your comment")).to_be_focused()

    versions = page.get_by_role("list", name="Versions")
    await expect(versions.locator("li")).to_have_count(1)
    await page.get_by_label("What should change?").fill("faster")
    await page.get_by_label("What should change?").press("Enter")
    await expect(versions.locator("li")).to_have_count(2)
    await expect(versions.locator("li").first).to_contain_text("Version 2: faster")
    await expect(page.locator("#pattern-version")).to_have_text("Version 2")
    refined = await page.locator(".pattern-code").inner_text()
    assert refined != pattern["code"]
    # restoring version 1 brings the first code back as version 3
    await page.get_by_role("button", name="Restore version 1").click()
    await expect(versions.locator("li")).to_have_count(3)
    await expect(page.locator(".pattern-code")).to_have_text(pattern["code"])
    assert await fits_phone(page)
    await screenshot(tab, "pattern-page")
    # back later, the page remembers the like
    await page.reload()
    await expect(page.get_by_role("button", name="Unlike")).to_have_attribute(
        "aria-pressed", "true"
    )
    await expect(page.locator("#likes-count")).to_have_text("1 like")
    assert tab.log.errors == []


async def test_another_artist_remixes_and_lands_on_the_remix_with_its_lineage(tab: Tab) -> None:
    creator = await new_account(tab.base, "Origin Maker")
    original = await save_pattern(
        tab.base, creator, description="warm deep house groove", title="Warm Origin"
    )
    remixer = await new_account(tab.base, "Remix Hand")
    page = tab.page
    await sign_in_page(page, tab.base, remixer)
    await page.goto(f"{tab.base}/p/{original['id']}")

    await expect(page.get_by_role("heading", level=1)).to_have_text("Warm Origin")
    await expect(page.get_by_label("What should change?")).to_have_count(0)  # not the creator
    await page.get_by_label("Kind of remix").select_option("variation")
    await page.get_by_label("Your changes, in words").fill("darker, more bass")
    await page.get_by_role("button", name="Remix").click()

    await page.wait_for_url(re.compile(r"/p/(?!" + re.escape(original["id"]) + r")[^/]+$"))
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.locator(".by")).to_contain_text("Remix Hand")
    parent = page.locator("#parent-link")
    await expect(parent).to_have_text("Warm Origin")
    await expect(parent).to_have_attribute("href", f"/p/{original['id']}")

    await parent.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Warm Origin")
    await expect(page.locator("#remixes-count")).to_have_text("1 remix")
    await expect(page.get_by_role("list", name="Remixes").locator("li")).to_have_count(1)
    assert tab.log.errors == []


async def test_a_mashup_takes_its_second_pattern_from_a_pasted_link(tab: Tab) -> None:
    creator = await new_account(tab.base, "Mash Origin")
    original = await save_pattern(
        tab.base, creator, description="warm deep house groove", title="Deep First"
    )
    remixer = await new_account(tab.base, "Mash Hand")
    second = await save_pattern(
        tab.base, remixer, description="dreamy ambient pads", title="Second Sky"
    )
    page = tab.page
    await sign_in_page(page, tab.base, remixer)
    await page.goto(f"{tab.base}/p/{original['id']}")

    second_field = page.get_by_label("Second pattern: its link or id")
    await expect(second_field).to_be_hidden()
    await page.get_by_label("Kind of remix").select_option("mashup")
    await page.get_by_label("Your changes, in words").fill("blend them, slower")
    await page.get_by_role("button", name="Remix").click()
    await expect(page.get_by_role("alert")).to_have_text(
        "Paste the link of the pattern to mix with."
    )
    await expect(second_field).to_be_focused()

    await second_field.fill(f"{tab.base}/p/{second['id']}")
    await page.get_by_role("button", name="Remix").click()
    await page.wait_for_url(re.compile(r"/p/(?!" + re.escape(original["id"]) + r")[^/]+$"))
    await expect(page.locator(".parent")).to_contain_text("Remixed (mashup) from Deep First")
    remix_id = page.url.rsplit("/", 1)[-1]
    async with httpx.AsyncClient(base_url=tab.base) as http:
        remixes = (await http.get(f"/api/patterns/{original['id']}/remixes")).json()
    assert [(r["id"], r["remixType"]) for r in remixes["items"]] == [(remix_id, "mashup")]
    assert tab.log.errors == []


async def test_the_library_page_lists_the_artists_patterns(tab: Tab) -> None:
    account = await new_account(tab.base, "Shelf Keeper")
    first = await save_pattern(tab.base, account, description="jazzy piano", title="Blue Keys")
    await save_pattern(tab.base, account, description="fast techno", title="Night Drive")
    page = tab.page
    await page.goto(f"{tab.base}/@Shelf%20Keeper")
    await page.get_by_role("link", name="All patterns by Shelf Keeper").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Patterns by Shelf Keeper")
    cards = page.get_by_role("list", name="Patterns by Shelf Keeper").locator("li")
    # newest first; the signature made at onboarding is the oldest
    await expect(cards).to_have_count(3)
    await expect(cards.locator("h3")).to_have_text(["Night Drive", "Blue Keys", re.compile(".+")])
    await cards.get_by_role("link", name="Blue Keys").click()
    await page.wait_for_url(f"**/p/{first['id']}")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Blue Keys")
    assert await fits_phone(page)
    assert tab.log.errors == []


async def test_discover_shows_a_new_pattern_in_recent_and_finds_it_by_a_title_word(
    tab: Tab,
) -> None:
    account = await new_account(tab.base, "Feed Walker")
    pattern = await save_pattern(
        tab.base, account, description="sunny reggae", title="Marmalade Sunrise"
    )
    page = tab.page
    await page.goto(f"{tab.base}/")
    await page.get_by_role("link", name="Discover").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Discover")
    recent = page.get_by_role("list", name="Recent")
    await expect(recent.locator("h3").first).to_have_text("Marmalade Sunrise")
    await expect(page.get_by_role("button", name="Recent")).to_have_attribute(
        "aria-pressed", "true"
    )

    await page.get_by_label("Search patterns").fill("marmalade")
    await page.get_by_label("Search patterns").press("Enter")
    results = page.get_by_role("list", name="Results for “marmalade”")
    await expect(results.locator("h3")).to_have_text(["Marmalade Sunrise"])
    await results.get_by_role("link", name="Marmalade Sunrise").click()
    await page.wait_for_url(f"**/p/{pattern['id']}")
    assert await fits_phone(page)
    assert tab.log.errors == []


async def test_discover_narrows_the_feed_by_tag_genre_and_mood_from_links_and_selects(
    tab: Tab,
) -> None:
    account = await new_account(tab.base, "Tag Gardener")
    cellar = await save_pattern(
        tab.base,
        account,
        description="dark techno",
        title="Cellar Lights",
        genre="techno",
        mood="dark",
        tags=["gardenrow"],
    )
    await save_pattern(
        tab.base,
        account,
        description="dreamy ambient",
        title="Cloud Bath",
        genre="ambient",
        mood="dreamy",
        tags=["gardenrow"],
    )
    page = tab.page
    await page.goto(f"{tab.base}/p/{cellar['id']}")
    await page.get_by_role("link", name="#gardenrow").click()
    await page.wait_for_url("**/discover?tag=gardenrow")

    recent = page.get_by_role("list", name="Recent")
    await expect(recent.locator("h3")).to_have_text(["Cloud Bath", "Cellar Lights"])
    await expect(page.locator("#tag-filter")).to_have_text("Tag #gardenrow")

    await page.get_by_label("Genre").select_option("techno")
    await expect(recent.locator("h3")).to_have_text(["Cellar Lights"])
    assert page.url.endswith("/discover?genre=techno&tag=gardenrow")
    await page.get_by_label("Mood").select_option("dreamy")
    await expect(page.get_by_text("No pattern matches these filters.")).to_be_visible()

    # the address keeps the view: reloading shows the same filters and results
    await page.get_by_label("Genre").select_option("")
    await page.reload()
    await expect(page.get_by_label("Mood")).to_have_value("dreamy")
    await expect(page.get_by_label("Genre")).to_have_value("")
    await expect(recent.locator("h3")).to_have_text(["Cloud Bath"])
    await page.get_by_role("button", name="Clear tag").click()
    await expect(page.locator("#tag-filter")).to_have_count(0)
    assert page.url.endswith("/discover?mood=dreamy")
    assert await fits_phone(page)
    assert tab.log.errors == []


async def test_a_play_is_counted_once_when_the_player_starts(tab: Tab) -> None:
    account = await new_account(tab.base, "Play Counter")
    pattern = await save_pattern(tab.base, account, description="chill lo-fi", title="Counted")
    page = tab.page
    await page.goto(f"{tab.base}/p/{pattern['id']}")  # anonymous: counted by address
    await expect(page.locator("#plays-count")).to_have_text("0 plays")
    card = page.locator(".pattern")
    player = page.frame_locator("iframe.player")

    await player.get_by_role("button", name="Play").click()
    await expect(card).to_have_attribute("data-player-state", "playing", timeout=30_000)
    await expect(page.locator("#plays-count")).to_have_text("1 play")
    await player.get_by_role("button", name="Stop").click()
    await expect(card).to_have_attribute("data-player-state", "stopped")
    assert tab.log.errors == []


async def test_a_refused_like_is_said_in_words_and_the_page_works_by_keyboard(tab: Tab) -> None:
    creator = await new_account(tab.base, "Keyed Maker")
    pattern = await save_pattern(tab.base, creator, description="soft jazz", title="Keys Only")
    visitor = await new_account(tab.base, "Keyed Visitor")
    page = tab.page
    await sign_in_page(page, tab.base, visitor)

    async def too_many(route: Route) -> None:
        await route.fulfill(
            status=429,
            headers={"retry-after": "42", "content-type": "application/json"},
            body=json.dumps({"error": {"code": "rate_limited", "message": "Slow down."}}),
        )

    await page.route("**/api/patterns/*/like", too_many)
    await page.goto(f"{tab.base}/p/{pattern['id']}")
    like = page.get_by_role("button", name="Like")
    await expect(like).to_be_visible()
    await like.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("alert")).to_have_text(
        "Too many attempts. Try again in 42 seconds."
    )
    await expect(page.locator("#likes-count")).to_have_text("0 likes")
    await expect(like).to_be_focused()

    # the comment form by keyboard alone: Tab reaches the field, Enter in the button sends
    await page.unroute("**/api/patterns/*/like")
    field = page.get_by_label("Your comment")
    await field.focus()
    await page.keyboard.type("Typed without a mouse")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Add comment")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator(".comment-body")).to_have_text(["Typed without a mouse"])
    assert without_http_errors(tab.log.errors, 429) == []
