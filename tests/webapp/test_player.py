"""Playback truth: the real Strudel engine in the sandboxed player frame, in real Chromium.

The CDN files are the npm copies (byte for byte, so Subresource Integrity really runs), the
sample maps and General MIDI presets are stubs; what is under test is that the page's Play
starts Strudel's scheduler with exactly the artist's pattern, that every sound our engine
writes is found, and that a broken pattern or a tampered engine is said in words.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from urllib.parse import quote

import httpx
import pytest
from playwright.async_api import Frame, Page, Route, expect

from notalabel.webapp import strudel
from tests.identity.factories import onboard
from tests.webapp.conftest import Tab
from tests.webapp.harness import npm_package, sri_sha384, strudel_package

NOT_LOADED = "not found! Is it loaded?"
KICK = 's("bd*2")'
# true once the frame has fetched a General MIDI preset (the soundfonts loader did its job)
FETCHED_A_PRESET = (
    "performance.getEntriesByType('resource')"
    f".some((entry) => entry.name.startsWith('{strudel.SOUNDFONT_BASE}/'))"
)


def fragment(code: str) -> str:
    """The player's address fragment for `code` (base64url without padding)."""
    return base64.urlsafe_b64encode(code.encode()).decode().rstrip("=")


async def player(page: Page, index: int = 0) -> Frame:
    """The `index`th player frame of the page, once its document is ready."""
    frame_element = page.locator("iframe.player").nth(index)
    await frame_element.scroll_into_view_if_needed()
    handle = await frame_element.element_handle()
    frame = await handle.content_frame()
    assert frame is not None
    await frame.wait_for_function("document.body.dataset.state === 'ready'")
    return frame


async def make_artist(base: str, name: str, description: str) -> dict[str, object]:
    """An account made through the onboarding API; answers its public profile."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        await onboard(http, name, description)
        profile: dict[str, object] = (await http.get(f"/api/users/{quote(name)}")).json()
        return profile


async def test_play_runs_the_artists_own_pattern_and_stop_stops_it(tab: Tab) -> None:
    profile = await make_artist(tab.base, "Player Truth", "dark techno with heavy bass")
    code = profile["signaturePattern"]["strudelCode"]  # type: ignore[index]
    page = tab.page
    await page.goto(f"{tab.base}/@Player%20Truth")
    card = page.locator(".pattern").first
    frame = await player(page)

    await page.frame_locator("iframe.player").get_by_role("button", name="Play").click()
    await expect(card).to_have_attribute("data-player-state", "playing", timeout=30_000)
    assert await frame.evaluate("window.nalRepl.scheduler.started") is True
    # the frame evaluated this account's pattern, byte for byte
    assert await frame.evaluate("window.nalRepl.state.activeCode") == code
    assert await frame.evaluate("window.nalRepl.state.evalError") in (None, False)
    # let the scheduler run through two cycles: every sound triggers at least once
    await frame.wait_for_function("window.nalRepl.scheduler.now() > 2", timeout=30_000)
    assert [line for line in tab.log.console if NOT_LOADED in line] == []
    assert [line for line in tab.log.console if "[getTrigger] error" in line] == []
    if "gm_" in code:
        await frame.wait_for_function(FETCHED_A_PRESET)
        assert tab.log.soundfont_requests

    await page.frame_locator("iframe.player").get_by_role("button", name="Stop").click()
    await expect(card).to_have_attribute("data-player-state", "stopped")
    assert await frame.evaluate("window.nalRepl.scheduler.started") is False
    assert tab.log.errors == []


async def test_playing_a_second_pattern_stops_the_first(tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{tab.base}/signin")  # any page of the app: the module lives there
    # two cards on one page, built by the app's own pattern module
    await page.evaluate(
        """async () => {
            const { patternCard } = await import('/static/js/pattern.mjs');
            // beside the page's own content, which its module may still be drawing
            document.body.append(
              patternCard({ code: 's("bd*2")', genre: 'one' }),
              patternCard({ code: 'note("c3 e3").s("sawtooth")', genre: 'two' }),
            );
        }"""
    )
    cards = page.locator(".pattern")
    first, second = await player(page, 0), await player(page, 1)
    await page.frame_locator("iframe.player >> nth=0").get_by_role("button", name="Play").click()
    await expect(cards.nth(0)).to_have_attribute("data-player-state", "playing", timeout=30_000)
    await page.frame_locator("iframe.player >> nth=1").get_by_role("button", name="Play").click()
    await expect(cards.nth(1)).to_have_attribute("data-player-state", "playing", timeout=30_000)
    await expect(cards.nth(0)).to_have_attribute("data-player-state", "stopped")
    assert await first.evaluate("window.nalRepl.scheduler.started") is False
    assert await second.evaluate("window.nalRepl.scheduler.started") is True
    assert tab.log.errors == []


async def test_a_broken_pattern_says_so_in_words(tab: Tab) -> None:
    page = tab.page
    await page.goto(f"{tab.base}/player#{fragment('this is not strudel(')}")
    await page.wait_for_function("document.body.dataset.state === 'ready'")
    await page.get_by_role("button", name="Play").click()
    await page.wait_for_function("document.body.dataset.state === 'error'", timeout=30_000)
    status = page.get_by_role("status")
    await expect(status).to_contain_text("This pattern does not evaluate")
    assert await page.evaluate("window.nalRepl.scheduler.started") is False
    # Strudel itself reports the evaluation error on the console: that one, and only it
    others = [e for e in tab.log.errors if "SyntaxError" not in e and "Unexpected" not in e]
    assert others == []


async def test_a_tampered_engine_is_refused_and_said_in_words(tab: Tab) -> None:
    original = (strudel_package() / strudel.ENTRY).read_bytes()
    # one byte changed inside a comment-free identifier: still valid JavaScript
    tampered = original.replace(b"strudel.log", b"strudel.lOg", 1)
    assert tampered != original

    served: list[str] = []

    async def serve_tampered(route: Route) -> None:
        served.append(route.request.url)
        await route.fulfill(
            status=200,
            body=tampered,
            headers={"content-type": "text/javascript", "access-control-allow-origin": "*"},
        )

    page = tab.page
    await page.route(strudel.URL, serve_tampered)
    await page.goto(f"{tab.base}/player#{fragment(KICK)}")
    await page.wait_for_function("document.body.dataset.state === 'ready'")
    await page.get_by_role("button", name="Play").click()
    await page.wait_for_function("document.body.dataset.state === 'error'", timeout=30_000)
    await expect(page.get_by_role("status")).to_contain_text("Could not load the Strudel engine")
    assert await page.evaluate("typeof window.initStrudel") == "undefined"
    assert await page.evaluate("typeof window.nalRepl") == "undefined"
    assert served == [strudel.URL]  # the browser did fetch it, and refused what came
    # Chromium names the refusal on the console: exactly that, nothing else
    refused = [e for e in tab.log.errors if "integrity" in e]
    assert refused, tab.log.errors
    assert [e for e in tab.log.errors if e not in refused] == []


@pytest.mark.parametrize(
    "description", ["dark techno", "dreamy lo-fi jazz", "drill", "ambient rain", "funky house"]
)
async def test_every_sound_of_generated_patterns_is_found(tab: Tab, description: str) -> None:
    async with httpx.AsyncClient(base_url=tab.base, timeout=30) as http:
        answer = await http.post("/api/generate-music", json={"userInput": description})
    assert answer.status_code == 200, answer.text
    code: str = answer.json()["code"]
    page = tab.page
    await page.goto(f"{tab.base}/player#{fragment(code)}")
    await page.wait_for_function("document.body.dataset.state === 'ready'")
    await page.get_by_role("button", name="Play").click()
    await page.wait_for_function("document.body.dataset.state === 'playing'", timeout=30_000)
    await page.wait_for_function("window.nalRepl.scheduler.now() > 2", timeout=30_000)
    assert [line for line in tab.log.console if NOT_LOADED in line] == []
    if re.search(r'"gm_\w+"', code):
        await page.wait_for_function(FETCHED_A_PRESET)
    assert [line for line in tab.log.console if "error" in line.lower()] == []
    assert await page.get_by_role("status").text_content() == "playing"
    assert tab.log.errors == []


async def test_the_player_policy_admits_exactly_the_pinned_files_and_its_import_map(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/player")
    policy = response.headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    inline = re.findall(r'<script type="importmap">(.*?)</script>', response.text)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert directives["script-src"].split() == [
        "'self'",
        *(p.url for p in strudel.PINNED),
        f"'sha256-{digest}'",
        "'unsafe-eval'",
        "data:",
    ]
    assert "'unsafe-inline'" not in policy
    assert directives["connect-src"].split() == [*strudel.SAMPLE_HOSTS, *strudel.SOUNDFONT_HOSTS]
    imports = json.loads(inline[0])
    # one engine: the soundfonts' imports of core and webaudio are the pinned @strudel/web
    assert imports["imports"]["@strudel/core"] == strudel.WEB.url
    assert imports["imports"]["@strudel/webaudio"] == strudel.WEB.url
    assert imports["imports"]["sfumato"] == strudel.SFUMATO.url
    assert imports["integrity"] == {
        p.url: p.integrity for p in (strudel.WEB, strudel.SOUNDFONTS, strudel.SFUMATO)
    }
    assert f'content="{strudel.SOUNDFONT2.url}"' in response.text
    assert f'data-integrity="{strudel.SOUNDFONT2.integrity}"' in response.text


@pytest.mark.parametrize("pinned", strudel.PINNED, ids=lambda p: p.package)
async def test_each_pinned_integrity_matches_the_npm_package(pinned: strudel.Pinned) -> None:
    entry = npm_package(pinned.package, pinned.version) / pinned.entry
    assert sri_sha384(entry.read_bytes()) == pinned.integrity
