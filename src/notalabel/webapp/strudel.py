"""The pinned Strudel engine the player loads from a public CDN, never shipped with the app.

`@strudel/web` is AGPL-3.0; the browser fetches it from jsDelivr at exactly this version and
refuses it unless its bytes match the Subresource Integrity hash below. The tests install the
same version from npm and check that hash against it.
"""

from __future__ import annotations

PACKAGE = "@strudel/web"
VERSION = "1.3.0"
ENTRY = "dist/index.mjs"
URL = f"https://cdn.jsdelivr.net/npm/{PACKAGE}@{VERSION}/{ENTRY}"
# sha384 of dist/index.mjs in the npm tarball of @strudel/web 1.3.0
INTEGRITY = "sha384-DtEThZlwytHy9lBIEo2RW5fPhDqM7TOek3xYjeTb0pU0ofXHe5wZgzizu4Az4Dbt"

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
