"""The library's own verification on answers recorded from headless Chromium (no browser).

The fixtures come from test_browser.py; regenerate them (needs /usr/bin/chromium) with
    NAL_RECORD_PASSKEY_FIXTURES=1 .venv/bin/python -m pytest -p no:cacheprovider \
        tests/passkeys/test_browser.py
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from notalabel.passkeys.exceptions import (
    ClonedAuthenticator,
    InvalidPasskey,
    PasskeyRegistrationFailed,
)
from notalabel.passkeys.verification import (
    NewCredential,
    RelyingParty,
    read_assertion,
    sign_count_advanced,
    verify_authentication,
    verify_registration,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return body


REGISTRATION = _load("registration.json")
AUTHENTICATION = _load("authentication.json")
HOME = RelyingParty(REGISTRATION["rpId"], "Not a Label", (REGISTRATION["origin"],))
OTHER_ORIGIN = RelyingParty(REGISTRATION["rpId"], "Not a Label", ("https://evil.example",))
OTHER_RP = RelyingParty("not-a-label.art", "Not a Label", (REGISTRATION["origin"],))
WRONG_CHALLENGE = bytes(32)


def _registered() -> NewCredential:
    return verify_registration(
        HOME, REGISTRATION["credential"], base64url_to_bytes(REGISTRATION["challenge"])
    )


def _sign_in(
    rp: RelyingParty = HOME,
    credential: dict[str, Any] | None = None,
    challenge: bytes | None = None,
    sign_count: int | None = None,
) -> int:
    stored = _registered()
    return verify_authentication(
        rp,
        credential or AUTHENTICATION["credential"],
        challenge or base64url_to_bytes(AUTHENTICATION["challenge"]),
        public_key=stored.public_key,
        sign_count=stored.sign_count if sign_count is None else sign_count,
    )


def test_the_recorded_registration_verifies() -> None:
    stored = _registered()
    assert stored.credential_id == REGISTRATION["credential"]["rawId"]
    assert stored.transports == REGISTRATION["credential"]["response"]["transports"]
    assert stored.public_key


def test_the_recorded_sign_in_verifies() -> None:
    assert _sign_in() > _registered().sign_count
    assertion = read_assertion(AUTHENTICATION["credential"])
    assert assertion.credential_id == REGISTRATION["credential"]["rawId"]
    assert assertion.user_handle is not None


@pytest.mark.parametrize(
    ("rp", "challenge"),
    [(HOME, WRONG_CHALLENGE), (OTHER_ORIGIN, None), (OTHER_RP, None)],
    ids=["challenge", "origin", "rp-id"],
)
def test_a_registration_for_something_else_is_refused(
    rp: RelyingParty, challenge: bytes | None
) -> None:
    expected = challenge or base64url_to_bytes(REGISTRATION["challenge"])
    with pytest.raises(PasskeyRegistrationFailed):
        verify_registration(rp, REGISTRATION["credential"], expected)


@pytest.mark.parametrize(
    ("rp", "challenge"),
    [(HOME, WRONG_CHALLENGE), (OTHER_ORIGIN, None), (OTHER_RP, None)],
    ids=["challenge", "origin", "rp-id"],
)
def test_a_sign_in_for_something_else_is_refused(rp: RelyingParty, challenge: bytes | None) -> None:
    with pytest.raises(InvalidPasskey):
        _sign_in(rp, challenge=challenge)


def test_a_tampered_signature_is_refused() -> None:
    credential = copy.deepcopy(AUTHENTICATION["credential"])
    signature = bytearray(base64url_to_bytes(credential["response"]["signature"]))
    signature[-1] ^= 0x01
    credential["response"]["signature"] = bytes_to_base64url(bytes(signature))
    with pytest.raises(InvalidPasskey):
        _sign_in(credential=credential)


def test_a_tampered_client_data_challenge_is_refused() -> None:
    credential = copy.deepcopy(AUTHENTICATION["credential"])
    client_data = json.loads(base64url_to_bytes(credential["response"]["clientDataJSON"]))
    client_data["challenge"] = bytes_to_base64url(WRONG_CHALLENGE)
    credential["response"]["clientDataJSON"] = bytes_to_base64url(json.dumps(client_data).encode())
    # the signature no longer covers the client data, even when the server expects this challenge
    with pytest.raises(InvalidPasskey):
        _sign_in(credential=credential, challenge=WRONG_CHALLENGE)


def test_a_replayed_counter_is_a_cloned_authenticator() -> None:
    count = _sign_in()
    with pytest.raises(ClonedAuthenticator):
        _sign_in(sign_count=count)


@pytest.mark.parametrize(
    ("stored", "new", "advanced"),
    [(0, 0, True), (0, 1, True), (5, 6, True), (5, 5, False), (5, 4, False), (5, 0, False)],
)
def test_sign_count_rule(stored: int, new: int, advanced: bool) -> None:
    assert sign_count_advanced(stored, new) is advanced
