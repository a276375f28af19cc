"""Voice login in a real browser at phone width: enrol on /me by reading the three sentences the
page shows, sign in on /signin by saying the digits it shows, and another voice refused in words.

Chromium's fake microphone plays a WAV file named at launch. Chromium opens that file afresh
each time a recording starts (each getUserMedia), so the test writes what the synthetic
speaker says - the sentence or the digits just read from the page - into the file right before
pressing Record: nothing in the product is bent for the test.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from playwright.async_api import Browser, Locator, Page, Route, async_playwright, expect

from notalabel.voice.digits import spoken_phrase
from tests.passkeys.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    require_chromium,
    running_app,
)
from tests.voice.helpers import ENROL, SIGNATURE, samples
from tests.voice.speakers import RATE, require_voices, synthesise, to_wav_bytes
from tests.webapp.account_support import (
    fits_phone,
    new_account,
    sign_in_page,
    stored_auth,
    without_http_errors,
)
from tests.webapp.conftest import Tab
from tests.webapp.harness import strudel_package

ARTIST_VOICE = "flite-slt"
OTHER_VOICE = "flite-rms"
NOT_RECOGNIZED = "Voice not recognized. Try again or use text login."
SILENT = (
    "Sample 1: We could not hear a voice in the recording: check the microphone and speak clearly."
)
# a recording lasts 5 s (sentences) or 4 s (digits); the service then listens for a moment
HEARD = 30_000


@pytest.fixture(scope="module")
def microphone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The WAV file Chromium's fake microphone plays (silence until a test speaks)."""
    require_chromium()
    require_voices()
    path = tmp_path_factory.mktemp("microphone") / "microphone.wav"
    silence(path)
    return path


@pytest.fixture(scope="module")
def app_base(tmp_path_factory: pytest.TempPathFactory, microphone: Path) -> Iterator[str]:
    """The real app (embedded SQLite) for this module."""
    del microphone  # first, so missing Chromium or voices skip before anything starts
    strudel_package()
    port = free_port()
    with running_app(tmp_path_factory.mktemp("voice"), port):
        yield f"http://localhost:{port}"


@pytest.fixture(scope="module")
async def browser(app_base: str, microphone: Path) -> AsyncIterator[Browser]:
    """Chromium with a fake microphone playing `microphone` once per recording."""
    del app_base
    fake_microphone = [
        "--use-fake-ui-for-media-stream",  # allow the microphone without asking
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}%noloop",  # then silence, not a loop
    ]
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *fake_microphone]
        )
        try:
            yield launched
        finally:
            await launched.close()


def play(microphone: Path, samples: np.ndarray) -> None:
    """Make the fake microphone play `samples` at its next recording."""
    part = microphone.with_suffix(".part")
    part.write_bytes(to_wav_bytes(samples))
    part.replace(microphone)  # whole, never half-written, when Chromium opens it


def speak(microphone: Path, voice: str, text: str) -> None:
    """Make the fake microphone play `voice` saying `text` after a breath of silence."""
    breath = np.zeros(RATE * 3 // 10, dtype=np.float32)
    play(microphone, np.concatenate([breath, synthesise(voice, text)]))


def silence(microphone: Path) -> None:
    """Make the fake microphone play nothing."""
    play(microphone, np.zeros(RATE, dtype=np.float32))


def spoken(digits: str) -> str:
    """How the page spells the digits out (and how a person reads them: one by one)."""
    return spoken_phrase(digits)


async def say_the_digits(page: Page, microphone: Path, voice: str, artist: str) -> None:
    """On /signin: name the artist, ask for digits, and record `voice` saying them."""
    await page.get_by_label("Your artist name", exact=True).fill(artist)
    await page.get_by_role("button", name="Ask for digits").click()
    await answer_the_digits(page, microphone, voice)


async def answer_the_digits(page: Page, microphone: Path, voice: str) -> None:
    """Read the digits the page shows, have `voice` say them, press Record."""
    shown = page.locator("#voice-digits")
    await expect(shown).to_have_text(re.compile(r"^\d{4}$"))
    digits = (await shown.text_content() or "").strip()
    await expect(page.locator("#voice-say")).to_have_text(f"Say: {spoken(digits)}")
    await expect(page.get_by_role("button", name="Record (4 s)")).to_be_focused()
    speak(microphone, voice, ", ".join(spoken(digits).split()))
    await page.get_by_role("button", name="Record (4 s)").click()
    await expect(page.get_by_text(re.compile(r"^Recording… [1-4] s left$"))).to_be_visible()


def fact(page: Page, term: str) -> Locator:
    """The value next to `term` in the voice signature's facts on /me."""
    return page.locator(f'#voice .voice-facts dt:text-is("{term}") + dd')


async def stale_once(page: Page, pattern: str) -> list[str]:
    """Answer the next request to `pattern` as the server does ten minutes after sign-in."""
    asked: list[str] = []

    async def stale(route: Route) -> None:
        asked.append(route.request.url)
        await route.fulfill(
            status=401,
            headers={"content-type": "application/json"},
            body=json.dumps(
                {"error": {"code": "reauthentication_required", "message": "Confirm it is you."}}
            ),
        )

    await page.route(pattern, stale, times=1)
    return asked


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
