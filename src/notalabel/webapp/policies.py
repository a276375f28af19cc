"""Content-Security-Policies of the app's pages and of the sandboxed player frame.

The pages run only the app's own modules: no inline script, no eval, no CDN. Playing a
pattern means evaluating its code (Strudel compiles it with `Function`) and loading the
engine's audio worklets from `data:` URLs, so that happens in `/player` alone: a frame
sandboxed into an opaque origin (no access to the app's storage, tokens or DOM) whose policy
admits the pinned CDN module, eval and the sample hosts, and nothing else.
"""

from __future__ import annotations

from notalabel.webapp import strudel

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

_SAMPLE_HOSTS = " ".join(strudel.SAMPLE_HOSTS)
PLAYER_CSP = (
    "default-src 'none'; "
    f"script-src 'self' {strudel.URL} 'unsafe-eval' data:; "
    "style-src 'self'; "
    f"connect-src {_SAMPLE_HOSTS}; media-src {_SAMPLE_HOSTS} blob: data:; "
    "sandbox allow-scripts; frame-ancestors 'self'; base-uri 'none'; object-src 'none'"
)
