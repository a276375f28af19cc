"""Drive passkey ceremonies in a real Chromium page: JavaScript run on the app's own origin."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the server listens on 127.0.0.1; never let "localhost" go to ::1 first
    "--host-resolver-rules=MAP localhost 127.0.0.1",
]
VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}

_CODEC = """
const fromB64 = (s) => {
  s = s.replace(/-/g, '+').replace(/_/g, '/');
  while (s.length % 4) s += '=';
  return Uint8Array.from(atob(s), (c) => c.charCodeAt(0)).buffer;
};
const toB64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
  .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const post = (url, body, token) => fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(token ? {authorization: 'Bearer ' + token} : {}),
  },
  body: JSON.stringify(body ?? {}),
});
"""

REGISTER_JS = (
    "async ({token}) => {"
    + _CODEC
    + """
  const options = await (await post('/api/passkeys/registration/options', {}, token)).json();
  const publicKey = {
    ...options,
    challenge: fromB64(options.challenge),
    user: {...options.user, id: fromB64(options.user.id)},
    excludeCredentials: (options.excludeCredentials || []).map((c) => ({...c, id: fromB64(c.id)})),
  };
  const made = await navigator.credentials.create({publicKey});
  const credential = {
    id: made.id,
    rawId: toB64(made.rawId),
    type: made.type,
    response: {
      clientDataJSON: toB64(made.response.clientDataJSON),
      attestationObject: toB64(made.response.attestationObject),
      transports: made.response.getTransports(),
    },
    authenticatorAttachment: made.authenticatorAttachment,
    clientExtensionResults: made.getClientExtensionResults(),
  };
  const answer = await post('/api/passkeys/registration', {credential, name: 'Chromium'}, token);
  return {options, credential, status: answer.status, body: await answer.json()};
}"""
)

SIGN_IN_JS = (
    "async ({artistName, submit}) => {"
    + _CODEC
    + """
  const named = artistName ? {artistName} : {};
  const asked = await (await post('/api/auth/passkey/options', named)).json();
  const options = asked.publicKey;
  const publicKey = {
    ...options,
    challenge: fromB64(options.challenge),
    allowCredentials: (options.allowCredentials || []).map((c) => ({...c, id: fromB64(c.id)})),
  };
  let got;
  try {
    got = await navigator.credentials.get({publicKey});
  } catch (error) {
    return {error: error.name, message: error.message};
  }
  const credential = {
    id: got.id,
    rawId: toB64(got.rawId),
    type: got.type,
    response: {
      clientDataJSON: toB64(got.response.clientDataJSON),
      authenticatorData: toB64(got.response.authenticatorData),
      signature: toB64(got.response.signature),
      userHandle: got.response.userHandle ? toB64(got.response.userHandle) : null,
    },
    authenticatorAttachment: got.authenticatorAttachment,
    clientExtensionResults: got.getClientExtensionResults(),
  };
  if (!submit) return {challengeId: asked.challengeId, options, credential};
  const answer = await post('/api/auth/passkey', {challengeId: asked.challengeId, credential});
  return {challengeId: asked.challengeId, options, credential,
          status: answer.status, body: await answer.json()};
}"""
)


def require_chromium() -> None:
    """Skip without Chromium on a developer machine; fail in CI (NAL_REQUIRE_BROWSER=1)."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
    if os.environ.get("NAL_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " - NAL_REQUIRE_BROWSER=1 makes this a failure")
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_app(data_dir: Path, port: int) -> Iterator[str]:
    """The real app under uvicorn in a subprocess (embedded SQLite), until the block ends."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NAL_")}
    env.update(
        NAL_MODE="embedded",
        NAL_DATA_DIR=str(data_dir),
        NAL_JWT_SECRET="browser-test-secret-" + "x" * 32,
        NAL_WEBAUTHN_RP_ID="localhost",
        NAL_WEBAUTHN_ORIGINS=f"http://localhost:{port}",
        NAL_RATE_LIMIT_ENABLED="false",
        NAL_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "uvicorn", "notalabel.app:create_app", "--factory"]
    server = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=data_dir
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"the app exited with {server.returncode}")
            try:
                if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not answer /api/health within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
