"""The voice signature's settings on /me, and a sign-in on /signin that also hums the
signature melody once the voice has passed (the fake microphone is in conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import expect

from notalabel.voice.humming import Note
from tests.voice.helpers import ENROL, SIGNATURE, melodic_signature, samples
from tests.voice.hums import synthesise_hum
from tests.webapp.account_support import (
    fits_phone,
    new_account,
    sign_in_page,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab
from tests.webapp.voice.support import HEARD, answer_the_digits, fact, play, say_the_digits

ARTIST_VOICE = "flite-slt"


async def enrolled(base: str, name: str) -> tuple[dict[str, Any], tuple[Note, ...]]:
    """A new artist with voice login on, a voice signature and a hummable signature melody."""
    done = await new_account(base, name)
    headers = {"Authorization": f"Bearer {done['token']}"}
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        allowed = await http.patch(
            "/api/users/me", json={"preferences": {"allowVoiceAuth": True}}, headers=headers
        )
        assert allowed.status_code == 200, allowed.text
        made = await http.post(ENROL, files=samples(ARTIST_VOICE), headers=headers)
        assert made.status_code == 201, made.text
        melody = await melodic_signature(http, headers)
    return done, melody


async def test_voice_settings_then_a_sign_in_that_also_hums(tab: Tab, microphone: Path) -> None:
    done, melody = await enrolled(tab.base, "HumsToo")
    page = tab.page
    await sign_in_page(page, tab.base, done)
    await page.goto(f"{tab.base}/me")
    voice = page.locator("#voice")
    settings = voice.get_by_role("form", name="Voice settings")
    threshold = settings.get_by_label("Confidence a sign-in needs (%)")
    await expect(threshold).to_have_value("85")

    # a number outside the range is named beside its field, in the page's own percent
    await threshold.fill("40")
    await settings.get_by_role("button", name="Save voice settings").click()
    await expect(settings.locator("#me-voice-threshold-error")).to_have_text(
        "Enter a whole number from 50 to 99."
    )
    await expect(threshold).to_be_focused()

    await threshold.fill("80")
    await settings.get_by_label("Failed tries before voice login pauses").fill("5")
    await settings.get_by_label("Also ask me to hum my signature melody").check()
    await settings.get_by_role("button", name="Save voice settings").click()
    await expect(page.get_by_role("status")).to_contain_text("Your voice settings are saved.")
    await expect(fact(page, "Confidence a sign-in needs")).to_have_text("80%")
    await expect(fact(page, "Failed tries before a pause")).to_have_text("5")
    await expect(fact(page, "Humming")).to_have_text("required too")
    await expect(voice.get_by_label("Confidence a sign-in needs (%)")).to_be_focused()
    assert await fits_phone(page)
    headers = {"Authorization": f"Bearer {done['token']}"}
    async with httpx.AsyncClient(base_url=tab.base) as http:
        kept = (await http.get(SIGNATURE, headers=headers)).json()["settings"]
    assert kept == {"confidenceThreshold": 0.8, "maxAttempts": 5, "requireHumming": True}

    # signed out elsewhere: the voice passes, so the page asks for new digits and the hum
    other = await tab.new_tab()
    try:
        signin = other.page
        await signin.goto(f"{tab.base}/signin")
        await say_the_digits(signin, microphone, ARTIST_VOICE, "HumsToo")
        await expect(signin.locator("#voice-hum-needed")).to_be_visible(timeout=HEARD)
        assert await stored_auth(signin) is None
        await answer_the_digits(signin, microphone, ARTIST_VOICE)
        hum_button = signin.get_by_role("button", name="Record the hum (8 s)")
        await expect(hum_button).to_be_focused(timeout=HEARD)
        await expect(signin.locator("#voice-hum")).to_contain_text("hum the melody")
        # another key and a quicker pace than the pattern: the tune is what counts
        play(microphone, synthesise_hum(melody, transpose=3, tempo=1.2, seed=5, seconds=5.0))
        await hum_button.click()
        await expect(signin).to_have_url(f"{tab.base}/me", timeout=HEARD)
        stored = await stored_auth(signin)
        assert stored is not None
        assert stored["userId"] == done["user"]["id"]
        assert without_http_errors(other.log.errors, 401) == []
    finally:
        await other.context.close()
    assert without_http_errors(tab.log.errors, 422) == []


async def test_a_wrong_tune_is_refused_in_words(tab: Tab, microphone: Path) -> None:
    done, melody = await enrolled(tab.base, "WrongTune")
    headers = {"Authorization": f"Bearer {done['token']}"}
    async with httpx.AsyncClient(base_url=tab.base) as http:
        on = await http.patch(SIGNATURE, json={"requireHumming": True}, headers=headers)
        assert on.status_code == 200, on.text
    page = tab.page
    await page.goto(f"{tab.base}/signin")
    await say_the_digits(page, microphone, ARTIST_VOICE, "WrongTune")
    await expect(page.locator("#voice-hum-needed")).to_be_visible(timeout=HEARD)
    await answer_the_digits(page, microphone, ARTIST_VOICE)
    other_tune = [n._replace(midi=n.midi + (3 if i % 2 else -4)) for i, n in enumerate(melody)]
    play(microphone, synthesise_hum(other_tune, seed=3, seconds=5.0))
    await page.get_by_role("button", name="Record the hum (8 s)").click()
    await expect(page.get_by_role("alert")).to_have_text(
        re.compile("Voice not recognized"), timeout=HEARD
    )
    assert await stored_auth(page) is None
    # digits are used up; new ones keep asking for the hum
    again = page.get_by_role("button", name="Ask for new digits")
    await expect(again).to_be_focused()
    await again.click()
    await expect(page.locator("#voice-hum-needed")).to_be_visible()
    assert without_http_errors(tab.log.errors, 401) == []
