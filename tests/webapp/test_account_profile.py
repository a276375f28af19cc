"""/me in a real browser at phone width: profile edits, renaming with suggestions, new recovery
codes, downloading the data and deleting the account."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from playwright.async_api import expect

from tests.webapp.account_support import (
    new_account,
    sign_in_page,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab


async def test_profile_edits_rename_with_suggestions_and_new_recovery_codes(tab: Tab) -> None:
    await new_account(tab.base, "AlreadyHere")
    done = await new_account(tab.base, "Renamer")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")

    # a field the server refuses is marked and explained next to the field
    await page.get_by_label("Website").fill("http://insecure.example")
    await page.get_by_label("Bio").fill("Tape loops & <b>late</b> nights")
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.locator("#me-website-error")).to_have_text(
        "Value error, must be an https:// URL"
    )
    await expect(page.get_by_label("Website")).to_be_focused()
    await page.get_by_label("Website").fill("https://renamer.example")
    await page.get_by_label("Community updates").check()
    await page.get_by_role("button", name="Save profile").click()
    await expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    await expect(page.locator("#me-website-error")).to_have_count(0)
    async with httpx.AsyncClient(base_url=tab.base) as http:
        me = (
            await http.get("/api/users/me", headers={"Authorization": f"Bearer {done['token']}"})
        ).json()
    assert me["website"] == "https://renamer.example"
    assert me["bio"] == "Tape loops & <b>late</b> nights"
    assert me["preferences"]["notifications"]["communityUpdates"] is True

    # a taken name answers with names to pick from
    name = page.get_by_label("Artist name", exact=True)
    await name.fill("AlreadyHere")
    await page.get_by_role("button", name="Rename").click()
    await expect(page.locator("#profile .error")).to_contain_text('"AlreadyHere" is taken.')
    choices = page.get_by_label("Names you could take").get_by_role("button")
    await expect(choices.first).to_be_visible()
    suggested = await choices.first.inner_text()
    await choices.first.click()
    await expect(name).to_have_value(suggested)
    await page.get_by_role("button", name="Rename").click()
    await expect(page.get_by_role("status")).to_have_text(f"You are now @{suggested}.")
    await expect(page.get_by_role("link", name=f"@{suggested}", exact=True)).to_be_visible()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"@{suggested}")

    # new recovery codes: shown once, downloadable, the old ones dead
    await page.get_by_role("button", name="Make new codes").click()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    await expect(codes).to_have_count(10)
    await expect(page.locator("#me-codes-left")).to_contain_text("10 of 10 recovery codes left.")
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Download .txt").click()
    download = await waiting.value
    saved = await asyncio.to_thread(Path(await download.path()).read_text)
    assert (await codes.first.inner_text()) in saved
    async with httpx.AsyncClient(base_url=tab.base) as http:
        old = await http.post(
            "/api/auth/recover",
            json={"artistName": suggested, "recoveryCode": done["recoveryCodes"][0]},
        )
    assert old.status_code == 401
    assert without_http_errors(tab.log.errors, 409, 422) == []


async def test_download_my_data_then_delete_the_account(tab: Tab) -> None:
    done = await new_account(tab.base, "LeavingSoon")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Download my data").click()
    download = await waiting.value
    exported = json.loads(await asyncio.to_thread(Path(await download.path()).read_text))
    assert "LeavingSoon" in json.dumps(exported)

    confirm = page.get_by_label("Type your artist name to confirm")
    await confirm.fill("leavingsoon")  # not exactly the name: nothing happens
    await page.get_by_role("button", name="Delete my account").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Type LeavingSoon exactly to delete the account."
    )
    await expect(confirm).to_be_focused()
    await confirm.fill("LeavingSoon")
    await page.get_by_role("button", name="Delete my account").click()
    await expect(page).to_have_url(f"{tab.base}/")
    assert await stored_auth(page) is None
    async with httpx.AsyncClient(base_url=tab.base) as http:
        gone = await http.get("/api/users/LeavingSoon")
    assert gone.status_code == 404
    assert tab.log.errors == []
