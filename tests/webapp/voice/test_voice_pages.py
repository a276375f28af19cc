"""Voice login in a real browser at phone width: enrol on /me by reading the three sentences the
page shows, sign in on /signin by saying the digits it shows, and another voice refused in words.

The fake microphone is this folder's conftest.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import expect

from tests.voice.helpers import ENROL, SIGNATURE, samples
from tests.webapp.account_support import (
    fits_phone,
    new_account,
    sign_in_page,
    stale_once,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab
from tests.webapp.voice.support import (
    HEARD,
    NOT_RECOGNIZED,
    answer_the_digits,
    fact,
    say_the_digits,
    silence,
    speak,
)

ARTIST_VOICE = "flite-slt"
OTHER_VOICE = "flite-rms"
SILENT = (
    "Sample 1: We could not hear a voice in the recording: check the microphone and speak clearly."
)


async def test_enrol_on_the_account_page_then_sign_in_by_voice(tab: Tab, microphone: Path) -> None:
    done = await new_account(tab.base, "VoiceOfRms")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")
    await expect(page.get_by_role("navigation", name="Sections")).to_contain_text("Voice login")
    voice = page.locator("#voice")
    await voice.get_by_role("button", name="Turn on voice login").click()

    # a silent microphone: refused in words, and the first sample is still the one to record
    silence(microphone)
    first = voice.get_by_role("button", name="Record sample 1 of 3")
    await first.click()
    await expect(voice.get_by_role("alert")).to_have_text(SILENT, timeout=HEARD)
    await expect(first).to_be_enabled()

    # the sign-in is fresh, so make the server ask once, as it would ten minutes later
    asked = await stale_once(page, "**/api/voice/enroll")
    for number in (1, 2, 3):
        sentence = (await voice.locator("#me-voice-sentence").text_content() or "").strip()
        await expect(voice.locator("#me-voice-step")).to_contain_text(f"Sample {number} of 3")
        speak(microphone, ARTIST_VOICE, sentence)
        await voice.get_by_role("button", name=f"Record sample {number} of 3").click()
        await expect(voice.get_by_text(re.compile(r"^Recording… [1-5] s left$"))).to_be_visible()
        if number == 1:
            # the recording is kept while the artist confirms, then sent without recording again
            dialog = page.get_by_role("dialog", name="Confirm it's you")
            await expect(dialog).to_be_visible(timeout=HEARD)
            await dialog.get_by_label("A recovery code").fill(done["recoveryCodes"][0])
            await dialog.get_by_role("button", name="Confirm with code").click()
            await expect(dialog).to_have_count(0)
        if number < 3:
            await expect(voice.locator("#me-voice-step")).to_contain_text(
                f"Sample {number + 1} of 3", timeout=HEARD
            )
    assert len(asked) == 1

    quality = voice.locator("#me-voice-quality")
    await expect(quality).to_contain_text("Your voice signature is ready. Quality: ", timeout=HEARD)
    found = re.search(r"(\d+)%", await quality.text_content() or "")
    assert found is not None
    assert 50 < int(found.group(1)) <= 100
    await expect(fact(page, "Confidence a sign-in needs")).to_have_text("85%")
    await expect(fact(page, "Sign-ins by voice")).to_have_text("0")
    assert await fits_phone(page)

    # another browser (same microphone), signed out: the artist says the digits shown
    other = await tab.new_tab()
    try:
        await other.page.goto(f"{tab.base}/signin")
        await say_the_digits(other.page, microphone, ARTIST_VOICE, "VoiceOfRms")
        await expect(other.page).to_have_url(f"{tab.base}/me", timeout=HEARD)
        await expect(other.page.get_by_role("heading", level=1)).to_have_text("@VoiceOfRms")
        stored = await stored_auth(other.page)
        assert stored is not None
        assert stored["artistName"] == "VoiceOfRms"
        assert stored["userId"] == done["user"]["id"]
        await expect(other.page.locator("#devices li.current")).to_contain_text("voice")
        there = other.page.locator("#voice")
        await expect(fact(other.page, "Sign-ins by voice")).to_have_text("1")

        # record again, then keep the current one; delete it (the voice sign-in is recent)
        await there.get_by_role("button", name="Record again").click()
        await expect(there.get_by_role("button", name="Record sample 1 of 3")).to_be_visible()
        await there.get_by_role("button", name="Keep the current one").click()
        await there.get_by_role("button", name="Delete voice signature").click()
        await expect(there.get_by_role("button", name="Record sample 1 of 3")).to_be_visible()
        await expect(other.page.get_by_role("status")).to_contain_text(
            "Your voice signature is deleted."
        )
        async with httpx.AsyncClient(base_url=tab.base) as http:
            gone = await http.get(SIGNATURE, headers={"Authorization": f"Bearer {stored['token']}"})
        assert gone.status_code == 404
        assert other.log.errors == []
    finally:
        await other.context.close()
    # the silent sample (422), the stale sign-in (401), no signature yet (404)
    assert without_http_errors(tab.log.errors, 401, 404, 422) == []


async def test_another_voice_is_refused_in_words_then_a_new_try_works(
    tab: Tab, microphone: Path
) -> None:
    done = await new_account(tab.base, "RmsSpeaks")
    async with httpx.AsyncClient(base_url=tab.base, timeout=60) as http:
        headers = {"Authorization": f"Bearer {done['token']}"}
        allowed = await http.patch(
            "/api/users/me", json={"preferences": {"allowVoiceAuth": True}}, headers=headers
        )
        assert allowed.status_code == 200, allowed.text
        made = await http.post(ENROL, files=samples(ARTIST_VOICE), headers=headers)
        assert made.status_code == 201, made.text
    page = tab.page
    await page.goto(f"{tab.base}/signin?next=/@RmsSpeaks")
    assert await fits_phone(page)

    await say_the_digits(page, microphone, OTHER_VOICE, "RmsSpeaks")
    await expect(page.get_by_role("alert")).to_have_text(NOT_RECOGNIZED, timeout=HEARD)
    assert await stored_auth(page) is None
    # those digits are used up: only new ones are offered
    await expect(page.locator("#voice-digits")).to_have_count(0)

    again = page.get_by_role("button", name="Ask for new digits")
    await expect(again).to_be_focused()
    await again.click()
    await expect(page.get_by_role("alert")).to_have_count(0)
    await answer_the_digits(page, microphone, ARTIST_VOICE)
    await expect(page).to_have_url(f"{tab.base}/@RmsSpeaks", timeout=HEARD)
    stored = await stored_auth(page)
    assert stored is not None
    assert stored["userId"] == done["user"]["id"]

    async with httpx.AsyncClient(base_url=tab.base) as http:
        usage = (await http.get(SIGNATURE, headers=headers)).json()["usage"]
    assert usage["failedAttempts"] == 1
    assert usage["successfulAuths"] == 1
    assert without_http_errors(tab.log.errors, 401) == []
