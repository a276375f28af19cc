"""Fixtures for the web app's browser tests: one app server per module, a fresh browser
context per test at phone width, the CDN answered from npm, console errors recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, ViewportSize, async_playwright

from tests.passkeys.browser import CHROMIUM, CHROMIUM_ARGS, free_port, require_chromium, running_app
from tests.webapp.harness import (
    PHONE,
    BrowserLog,
    attach_log,
    serve_cdn_and_samples,
    strudel_package,
)


@dataclass
class Tab:
    """A page in a fresh browser context, its log and the app's address."""

    page: Page
    context: BrowserContext
    browser: Browser
    log: BrowserLog
    base: str  # http://localhost:PORT (the WebAuthn origin)

    async def new_tab(self, *, viewport: ViewportSize | None = None) -> Tab:
        """Another, independent browser context on the same app (another person)."""
        context = await self.browser.new_context(viewport=viewport or PHONE)
        page = await context.new_page()
        log = attach_log(page)
        await serve_cdn_and_samples(page, strudel_package(), log)
        return Tab(page, context, self.browser, log, self.base)


@pytest.fixture(scope="module")
def app_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn (embedded SQLite), shared by a module's tests."""
    require_chromium()
    strudel_package()
    port = free_port()
    with running_app(tmp_path_factory.mktemp("webapp"), port):
        yield f"http://localhost:{port}"


@pytest.fixture(scope="module")
async def browser(app_base: str) -> AsyncIterator[Browser]:
    """One Chromium for the whole module (the machine is small and shared)."""
    del app_base  # started first, so a missing Chromium skips before the launch
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def tab(browser: Browser, app_base: str) -> AsyncIterator[Tab]:
    """A fresh phone-sized context in the module's browser, the CDN routed to npm."""
    context = await browser.new_context(viewport=PHONE)
    try:
        page = await context.new_page()
        log = attach_log(page)
        await serve_cdn_and_samples(page, strudel_package(), log)
        yield Tab(page, context, browser, log, app_base)
    finally:
        await context.close()


def screenshot_path(name: str) -> Path:
    """Where the README's screenshots are written (docs/screenshots/NAME.png)."""
    target = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target / f"{name}.png"
