"""A real browser on the real app: Chromium via Playwright, the CDN served from npm.

The player loads `@strudel/web` from jsDelivr; this machine (and CI) has no route there, so
every request for that package is answered from the same version installed from npm at test
time, byte for byte: the page's Subresource Integrity check still runs against those bytes.
The same goes for the soundfont packages the player imports. Sample maps are stubbed with
every sampled sound the pattern engine can write, audio files with silence, and the General
MIDI presets with one silent zone (the sounds themselves are not under test).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import wave
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import ConsoleMessage, Page, Route, ViewportSize

from notalabel.engine.pattern.genres import RECIPES
from notalabel.engine.pattern.kits import BANK_DRUMS
from notalabel.engine.pattern.sounds import CHORD_KEYWORDS, LEAD_KEYWORDS, PAD_KEYWORDS, TEXTURES
from notalabel.webapp import strudel

REPO = Path(__file__).resolve().parents[2]
NPM_CACHE = Path(os.environ.get("NAL_TEST_NPM_CACHE", REPO / ".cache" / "npm"))
CDN_PREFIX = f"{strudel.CDN}/{strudel.PACKAGE}@{strudel.VERSION}/"
PHONE = ViewportSize(width=360, height=780)


def npm_package(name: str, version: str) -> Path:
    """`name`@`version` unpacked from the npm registry (cached between runs)."""
    target = NPM_CACHE / f"{name.removeprefix('@').replace('/', '-')}-{version}"
    if (target / "package.json").exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        reason = f"npm is needed to install {name} for the browser tests"
        if os.environ.get("NAL_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " - NAL_REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(reason)
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    packed = subprocess.run(
        [npm, "pack", f"{name}@{version}", "--pack-destination", str(NPM_CACHE), "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tarball = NPM_CACHE / json.loads(packed.stdout)[0]["filename"]
    staging = target.parent / f"{target.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (staging / "package").rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    tarball.unlink()
    return target


def strudel_package() -> Path:
    """The pinned @strudel/web unpacked from the npm registry (cached between runs)."""
    return npm_package(strudel.PACKAGE, strudel.VERSION)


def pinned_packages() -> dict[str, Path]:
    """Every pinned CDN package (engine, soundfonts and their imports), by URL prefix."""
    return {
        f"{strudel.CDN}/{p.package}@{p.version}/": npm_package(p.package, p.version)
        for p in strudel.PINNED
    }


def sri_sha384(data: bytes) -> str:
    """The Subresource Integrity string of `data`."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def _silent_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(22050)
        out.writeframes(b"\0\0" * 2205)
    return buffer.getvalue()


SILENT_WAV = _silent_wav()


# superdough's own oscillators and noises: they need no sample map
SYNTHS = frozenset(
    {"sine", "sawtooth", "saw", "square", "triangle", "supersaw", "pulse", "pink", "brown",
     "white", "crackle"}
)  # fmt: skip


def engine_sounds() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The drum banks and the other sampled sounds our pattern engine can write."""
    sounds: set[str] = set()
    for recipe in RECIPES.values():
        sounds |= {recipe.bass_sound, recipe.pad_sound, *recipe.chord_sounds, *recipe.lead_sounds}
    for table in (CHORD_KEYWORDS, PAD_KEYWORDS, LEAD_KEYWORDS):
        sounds |= set(table.values())
    sounds |= {layer.sound for layer in TEXTURES.values()}
    sampled = {s for s in sounds if not s.startswith("gm_") and s not in SYNTHS}
    return BANK_DRUMS, frozenset(sampled)


def sample_map(url: str) -> dict[str, Any]:
    """A stub of one of strudel.SAMPLE_MAPS naming every sampled sound the engine uses."""
    banks, melodic = engine_sounds()
    name = url.rsplit("/", 1)[-1]
    entries: dict[str, list[str]] = {}
    if name == "tidal-drum-machines.json":
        entries = {f"{b}_{d}": [f"{b}/{d}.wav"] for b, drums in banks.items() for d in drums}
    elif name == "Dirt-Samples.json":
        entries = {d: [f"{d}/0.wav"] for d in frozenset().union(*banks.values())}
    elif name == "piano.json":
        entries = {s: [f"{s}/c3.wav"] for s in melodic}
    return {"_base": f"{url.rsplit('/', 1)[0]}/stub/", **entries}


def soundfont_preset(url: str) -> str:
    """A webaudiofontdata preset file with one silent zone over the whole keyboard."""
    variable = "_tone_" + url.rsplit("/", 1)[-1].removesuffix(".js")
    zone = {
        "midi": 0,
        "originalPitch": 6000,
        "keyRangeLow": 0,
        "keyRangeHigh": 127,
        "loopStart": 0,
        "loopEnd": 0,
        "coarseTune": 0,
        "fineTune": 0,
        "sampleRate": 22050,
        "ahdsr": False,
        "file": base64.b64encode(SILENT_WAV).decode(),
    }
    # the loader splits the file at its one "={" and evaluates the rest as a block
    return f"var {variable}={{zones:[{json.dumps(zone)}]}};"


@dataclass
class BrowserLog:
    """What the page said: console errors, uncaught exceptions, CDN and sample requests."""

    errors: list[str] = field(default_factory=list)
    cdn_requests: list[str] = field(default_factory=list)
    sample_requests: list[str] = field(default_factory=list)
    # every console message (any level), frames included, e.g. Strudel's own log lines
    console: list[str] = field(default_factory=list)
    soundfont_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        self.console.append(message.text)
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"pageerror: {error}")


_CORS = {"access-control-allow-origin": "*"}


async def serve_cdn_and_samples(page: Page, package: Path, log: BrowserLog) -> None:
    """Answer the pinned CDN files from npm copies and the sample and soundfont hosts with
    stubs; `package` is the @strudel/web copy (the other pinned packages are fetched here)."""
    packages = {**pinned_packages(), CDN_PREFIX: package}

    async def cdn(route: Route) -> None:
        url = route.request.url
        log.cdn_requests.append(url)
        prefix = next((p for p in packages if url.startswith(p)), None)
        if prefix is None:
            await route.fulfill(status=404, body="not a pinned package")
            return
        root = packages[prefix]
        path = (root / url.removeprefix(prefix).split("?")[0]).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            await route.fulfill(status=404, body="not in the package")
            return
        kind = "text/javascript" if path.suffix in {".js", ".mjs"} else "application/octet-stream"
        await route.fulfill(
            status=200, body=path.read_bytes(), headers={**_CORS, "content-type": kind}
        )

    async def samples(route: Route) -> None:
        url = route.request.url
        log.sample_requests.append(url)
        if url.endswith(".json"):
            body = json.dumps(sample_map(url))
            headers = {**_CORS, "content-type": "application/json"}
            await route.fulfill(status=200, body=body, headers=headers)
        else:
            headers = {**_CORS, "content-type": "audio/wav"}
            await route.fulfill(status=200, body=SILENT_WAV, headers=headers)

    async def soundfonts(route: Route) -> None:
        url = route.request.url
        log.soundfont_requests.append(url)
        headers = {**_CORS, "content-type": "text/javascript"}
        await route.fulfill(status=200, body=soundfont_preset(url), headers=headers)

    await page.route(f"{strudel.CDN}/**", cdn)
    for host in strudel.SAMPLE_HOSTS:
        await page.route(f"{host}/**", samples)
    for host in strudel.SOUNDFONT_HOSTS:
        await page.route(f"{host}/**", soundfonts)


def attach_log(page: Page) -> BrowserLog:
    """Record the page's console errors and uncaught exceptions (frames included)."""
    log = BrowserLog()
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    return log
