"""A real browser on the real app: Chromium via Playwright, the CDN served from npm.

The player loads `@strudel/web` from jsDelivr; this machine (and CI) has no route there, so
every request for that package is answered from the same version installed from npm at test
time, byte for byte: the page's Subresource Integrity check still runs against those bytes.
Sample maps and audio files are stubbed (the samples themselves are not under test).
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
from playwright.async_api import ConsoleMessage, Page, Route

from notalabel.webapp import strudel

REPO = Path(__file__).resolve().parents[2]
NPM_CACHE = Path(os.environ.get("NAL_TEST_NPM_CACHE", REPO / ".cache" / "npm"))
CDN_PREFIX = f"https://cdn.jsdelivr.net/npm/{strudel.PACKAGE}@{strudel.VERSION}/"
PHONE = {"width": 360, "height": 780}


def strudel_package() -> Path:
    """The pinned @strudel/web unpacked from the npm registry (cached between runs)."""
    target = NPM_CACHE / f"strudel-web-{strudel.VERSION}"
    if (target / strudel.ENTRY).exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install @strudel/web for the browser tests")
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    spec = f"{strudel.PACKAGE}@{strudel.VERSION}"
    packed = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(NPM_CACHE), "--json"],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    tarball = NPM_CACHE / json.loads(packed.stdout)[0]["filename"]
    staging = target.with_suffix(".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="data")
    shutil.rmtree(target, ignore_errors=True)
    (staging / "package").rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    tarball.unlink()
    return target


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


@dataclass
class BrowserLog:
    """What the page said: console errors, uncaught exceptions, CDN and sample requests."""

    errors: list[str] = field(default_factory=list)
    cdn_requests: list[str] = field(default_factory=list)
    sample_requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"pageerror: {error}")


async def serve_cdn_and_samples(page: Page, package: Path, log: BrowserLog) -> None:
    """Answer the pinned CDN from the npm copy and the sample hosts with stubs."""

    async def cdn(route: Route) -> None:
        url = route.request.url
        log.cdn_requests.append(url)
        relative = url.removeprefix(CDN_PREFIX).split("?")[0]
        path = (package / relative).resolve()
        if not path.is_relative_to(package) or not path.is_file():
            await route.fulfill(status=404, body="not in the package")
            return
        kind = "text/javascript" if path.suffix in {".js", ".mjs"} else "application/octet-stream"
        await route.fulfill(
            status=200,
            body=path.read_bytes(),
            headers={"content-type": kind, "access-control-allow-origin": "*"},
        )

    async def samples(route: Route) -> None:
        url = route.request.url
        log.sample_requests.append(url)
        cors = {"access-control-allow-origin": "*"}
        if url.endswith(".json"):
            await route.fulfill(
                status=200, body="{}", headers={**cors, "content-type": "application/json"}
            )
        else:
            await route.fulfill(
                status=200, body=SILENT_WAV, headers={**cors, "content-type": "audio/wav"}
            )

    await page.route(f"{CDN_PREFIX}**", cdn)
    for host in strudel.SAMPLE_HOSTS:
        await page.route(f"{host}/**", samples)


def attach_log(page: Page) -> BrowserLog:
    """Record the page's console errors and uncaught exceptions (frames included)."""
    log = BrowserLog()
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    return log
