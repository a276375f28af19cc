"""The pinned Strudel engine the player loads from a public CDN, never shipped with the app.

`@strudel/web` is AGPL-3.0; the browser fetches it from jsDelivr at exactly this version and
refuses it unless its bytes match the Subresource Integrity hash below. The General MIDI
soundfonts (`gm_*` sounds) come from `@strudel/soundfonts` the same way: its bare imports are
resolved by the player's import map, `@strudel/core` and `@strudel/webaudio` to the very same
`@strudel/web` file (it re-exports both, so there is one engine instance), `sfumato` to its
pinned file, and `soundfont2` (published only as a UMD script) to a one-line module that
re-exports the global the pinned UMD script defines. The tests install every one of these
versions from npm and check each hash against the bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

CDN = "https://cdn.jsdelivr.net/npm"


@dataclass(frozen=True, slots=True)
class Pinned:
    """One file of one npm package at one version, and the sha384 of its bytes."""

    package: str
    version: str
    entry: str
    integrity: str

    @property
    def url(self) -> str:
        """Where jsDelivr serves exactly these bytes."""
        return f"{CDN}/{self.package}@{self.version}/{self.entry}"


WEB = Pinned(
    "@strudel/web",
    "1.3.0",
    "dist/index.mjs",
    "sha384-DtEThZlwytHy9lBIEo2RW5fPhDqM7TOek3xYjeTb0pU0ofXHe5wZgzizu4Az4Dbt",
)
SOUNDFONTS = Pinned(
    "@strudel/soundfonts",
    "1.3.0",
    "dist/index.mjs",
    "sha384-wFuUZ3YsAyW84npcu16cfg9muwuog5B5fBGLZ6K35bFS5Y5cu5fYJLIn6xzXUkLm",
)
SFUMATO = Pinned(
    "sfumato",
    "0.1.2",
    "dist/sfumato.js",
    "sha384-iJ4F8nPbiffSr15nNrvp5s4xHDRqeLhtUfS2+Asj9T/PttSQ2u0sz5m7dX0gy/dG",
)
# a UMD bundle (no ES module in the package): loaded as a classic script, it sets
# `window.SoundFont2`, which the import map's `soundfont2` module re-exports
SOUNDFONT2 = Pinned(
    "soundfont2",
    "0.5.0",
    "lib/SoundFont2.js",
    "sha384-JGKdRnWUBZN4aSN1dFvUWcSm36Tflwlwn9rpMTpFqJ64w2p1IBZUxxMwkHNqwoLf",
)
PINNED = (WEB, SOUNDFONTS, SFUMATO, SOUNDFONT2)

# the names other modules already use for the engine itself
PACKAGE, VERSION, ENTRY, URL, INTEGRITY = (
    WEB.package,
    WEB.version,
    WEB.entry,
    WEB.url,
    WEB.integrity,
)

_SOUNDFONT2_SHIM = (
    "const m = globalThis.SoundFont2; export default m; "
    "export const SoundFont2 = m.SoundFont2; "
    "export const DEFAULT_GENERATOR_VALUES = m.DEFAULT_GENERATOR_VALUES;"
)
SOUNDFONT2_MODULE = "data:text/javascript," + quote(_SOUNDFONT2_SHIM, safe="")


@cache
def import_map() -> str:
    """The player's import map (JSON), with the integrity of every file it names."""
    imports = {
        "@strudel/web": WEB.url,
        "@strudel/core": WEB.url,
        "@strudel/webaudio": WEB.url,
        "@strudel/soundfonts": SOUNDFONTS.url,
        "sfumato": SFUMATO.url,
        "soundfont2": SOUNDFONT2_MODULE,
    }
    integrity = {p.url: p.integrity for p in (WEB, SOUNDFONTS, SFUMATO)}
    return json.dumps({"imports": imports, "integrity": integrity}, separators=(",", ":"))


# Sample maps strudel.cc loads by default (drum machines for .bank(), piano, the Dirt and
# VCSL samples); the audio files they name live on the same host.
SAMPLE_BASE = "https://raw.githubusercontent.com/felixroos/dough-samples/main"
SAMPLE_MAPS = (
    f"{SAMPLE_BASE}/tidal-drum-machines.json",
    f"{SAMPLE_BASE}/piano.json",
    f"{SAMPLE_BASE}/Dirt-Samples.json",
    f"{SAMPLE_BASE}/vcsl.json",
)
SAMPLE_HOSTS = ("https://raw.githubusercontent.com",)
# `registerSoundfonts()` fetches each gm_* preset as `<this>/<preset>.js` when first played
SOUNDFONT_BASE = "https://felixroos.github.io/webaudiofontdata/sound"
SOUNDFONT_HOSTS = ("https://felixroos.github.io",)


def player_page_values() -> dict[str, str]:
    """What pages/player.html is filled with."""
    return {
        "strudel_url": WEB.url,
        "strudel_integrity": WEB.integrity,
        "sample_maps": " ".join(SAMPLE_MAPS),
        "soundfont2_url": SOUNDFONT2.url,
        "soundfont2_integrity": SOUNDFONT2.integrity,
        "import_map": import_map(),
    }
