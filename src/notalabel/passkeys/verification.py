"""WebAuthn ceremonies with the `webauthn` library: options out, browser answers verified.

Pure: no database, no clock. The service stores and looks up what these functions need.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from notalabel.config import Settings
from notalabel.passkeys.exceptions import (
    ClonedAuthenticator,
    InvalidPasskey,
    PasskeyRegistrationFailed,
)

CHALLENGE_TTL = timedelta(minutes=5)
WRONG_PASSKEY = "This passkey could not be verified."
_TIMEOUT_MS = int(CHALLENGE_TTL.total_seconds() * 1000)
# what the library raises on malformed input besides its own errors (bad base64, bad CBOR)
_MALFORMED = (WebAuthnException, ValueError, TypeError, KeyError)


@dataclass(frozen=True, slots=True)
class RelyingParty:
    """Who passkeys are made for: the rp id they are bound to and the origins that may sign."""

    id: str
    name: str
    origins: tuple[str, ...]

    @classmethod
    def from_settings(cls, settings: Settings) -> RelyingParty:
        """The relying party a deployment's settings describe."""
        return cls(
            settings.passkey_rp_id, settings.webauthn_rp_name, tuple(settings.passkey_origins)
        )


@dataclass(frozen=True, slots=True)
class StoredCredential:
    """An existing passkey as the options need it."""

    credential_id: str
    transports: Sequence[str]


@dataclass(frozen=True, slots=True)
class NewCredential:
    """A verified registration, ready to store."""

    credential_id: str
    public_key: bytes
    sign_count: int
    transports: list[str]
    aaguid: str
    backed_up: bool


@dataclass(frozen=True, slots=True)
class Assertion:
    """The parts of a sign-in answer needed to find its passkey before verifying it."""

    credential_id: str
    user_handle: str | None


def registration_options(
    rp: RelyingParty,
    *,
    challenge: bytes,
    user_handle: str,
    user_name: str,
    existing: Sequence[StoredCredential],
) -> dict[str, Any]:
    """PublicKeyCredentialCreationOptions as JSON, excluding the artist's existing passkeys."""
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        user_id=base64url_to_bytes(user_handle),
        user_name=user_name,
        user_display_name=user_name,
        challenge=challenge,
        timeout=_TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(c) for c in existing],
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def authentication_options(
    rp: RelyingParty, *, challenge: bytes, allowed: Sequence[StoredCredential]
) -> dict[str, Any]:
    """PublicKeyCredentialRequestOptions as JSON; no allowed credentials means discoverable."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=_TIMEOUT_MS,
        allow_credentials=[_descriptor(c) for c in allowed],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    result: dict[str, Any] = json.loads(options_to_json(options))
    return result


def verify_registration(
    rp: RelyingParty, credential: dict[str, Any], challenge: bytes
) -> NewCredential:
    """Check a navigator.credentials.create() answer against the challenge, rp id and origins."""
    try:
        parsed = parse_registration_credential_json(credential)
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
        )
    except _MALFORMED as exc:
        raise PasskeyRegistrationFailed("The passkey could not be verified.") from exc
    return NewCredential(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t.value for t in parsed.response.transports or []],
        aaguid=verified.aaguid,
        backed_up=verified.credential_backed_up,
    )


def claimed_challenge(credential: dict[str, Any]) -> str:
    """The challenge a registration answer says it signed (base64url), to find it in the store."""
    try:
        parsed = parse_registration_credential_json(credential)
        client_data = parse_client_data_json(parsed.response.client_data_json)
    except _MALFORMED as exc:
        raise PasskeyRegistrationFailed("The passkey could not be verified.") from exc
    return bytes_to_base64url(client_data.challenge)


def read_assertion(credential: dict[str, Any]) -> Assertion:
    """Which credential (and user handle) a navigator.credentials.get() answer claims."""
    try:
        parsed = parse_authentication_credential_json(credential)
    except _MALFORMED as exc:
        raise InvalidPasskey(WRONG_PASSKEY) from exc
    handle = parsed.response.user_handle
    return Assertion(
        bytes_to_base64url(parsed.raw_id), bytes_to_base64url(handle) if handle else None
    )


def verify_authentication(
    rp: RelyingParty,
    credential: dict[str, Any],
    challenge: bytes,
    *,
    public_key: bytes,
    sign_count: int,
) -> int:
    """Check a sign-in answer's signature and counter; the authenticator's new count."""
    try:
        # the counter is checked below, after the signature, by our own rule
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=public_key,
            credential_current_sign_count=0,
        )
    except _MALFORMED as exc:
        raise InvalidPasskey(WRONG_PASSKEY) from exc
    if not sign_count_advanced(sign_count, verified.new_sign_count):
        raise ClonedAuthenticator(WRONG_PASSKEY)
    return verified.new_sign_count


def sign_count_advanced(stored: int, new: int) -> bool:
    """Whether a signature counter moved forward (0 and 0: an authenticator without one)."""
    if stored == 0 and new == 0:
        return True
    return new > stored


def _descriptor(credential: StoredCredential) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in credential.transports:
        # a transport this library version does not know is only a hint: leave it out
        with contextlib.suppress(ValueError):
            transports.append(AuthenticatorTransport(name))
    return PublicKeyCredentialDescriptor(
        id=base64url_to_bytes(credential.credential_id), transports=transports or None
    )
