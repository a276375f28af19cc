"""Content-Security-Policies of the app's pages and of the sandboxed player frame.

The pages run only the app's own modules: no inline script, no eval, no CDN. Playing a
pattern means evaluating its code (Strudel compiles it with `Function`) and loading the
engine's audio worklets from `data:` URLs, so that happens in `/player` alone: a frame
sandboxed into an opaque origin (no access to the app's storage, tokens or DOM) whose policy
admits the pinned CDN files, its one inline import map (by hash), eval, and the sample and
soundfont hosts, and nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from notalabel.webapp import strudel

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def script_hash(text: str) -> str:
    """The CSP source expression admitting an inline script with exactly this text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


IMPORT_MAP = strudel.import_map()
_SCRIPTS = " ".join(p.url for p in strudel.PINNED)
_SAMPLE_HOSTS = " ".join(strudel.SAMPLE_HOSTS)
_FETCHED = " ".join((*strudel.SAMPLE_HOSTS, *strudel.SOUNDFONT_HOSTS))
PLAYER_CSP = (
    "default-src 'none'; "
    f"script-src 'self' {_SCRIPTS} {script_hash(IMPORT_MAP)} 'unsafe-eval' data:; "
    "style-src 'self'; "
    f"connect-src {_FETCHED}; media-src {_SAMPLE_HOSTS} blob: data:; "
    "sandbox allow-scripts; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)
