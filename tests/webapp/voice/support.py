"""Helpers of the voice page tests: what the fake microphone plays, and reading the pages."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from playwright.async_api import Locator, Page, expect

from notalabel.voice.digits import spoken_phrase
from tests.voice.speakers import RATE, synthesise, to_wav_bytes

NOT_RECOGNIZED = "Voice not recognized. Try again or use text login."
# a recording lasts 5 s (sentences), 4 s (digits) or 8 s (a hum); the service then listens
HEARD = 30_000


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
