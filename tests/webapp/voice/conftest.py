"""The voice pages' app and Chromium: a fake microphone playing a WAV file the tests write.

Chromium's fake microphone plays a WAV file named at launch. Chromium opens that file afresh
each time a recording starts (each getUserMedia), so a test writes what the synthetic speaker
says - the sentence or the digits just read from the page - into the file right before
pressing Record: nothing in the product is bent for the test. These fixtures override the
webapp ones of the same names for the modules in this folder.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.passkeys.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    require_chromium,
    running_app,
)
from tests.voice.speakers import require_voices
from tests.webapp.harness import strudel_package
from tests.webapp.voice.support import silence


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
