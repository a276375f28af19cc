"""A software WebAuthn authenticator (P-256, "none" attestation) for tests without a browser."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

_UP, _UV, _AT = 0x01, 0x04, 0x40


@dataclass
class SoftAuthenticator:
    """One credential per instance, answering like navigator.credentials.create / get."""

    origin: str = "http://localhost:8000"
    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    credential_id: bytes = field(default_factory=lambda: os.urandom(16))
    sign_count: int = 0
    user_handle: str | None = None

    @property
    def id(self) -> str:
        """The credential id, base64url."""
        return bytes_to_base64url(self.credential_id)

    def create(self, options: dict[str, Any]) -> dict[str, Any]:
        """Answer PublicKeyCredentialCreationOptions JSON with a new credential."""
        self.user_handle = options["user"]["id"]
        numbers = self.key.public_key().public_numbers()
        cose_key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)}
        auth_data = (
            hashlib.sha256(options["rp"]["id"].encode()).digest()
            + bytes([_UP | _UV | _AT])
            + self.sign_count.to_bytes(4)
            + bytes(16)
            + len(self.credential_id).to_bytes(2)
            + self.credential_id
            + cbor2.dumps(cose_key)
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"])
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "attestationObject": bytes_to_base64url(attestation),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict[str, Any], *, advance: bool = True) -> dict[str, Any]:
        """Answer PublicKeyCredentialRequestOptions JSON, signing with this credential."""
        if advance:
            self.sign_count += 1
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([_UP | _UV])
            + self.sign_count.to_bytes(4)
        )
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "clientDataJSON": bytes_to_base64url(client_data),
                "authenticatorData": bytes_to_base64url(auth_data),
                "signature": bytes_to_base64url(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
        }

    def _client_data(self, kind: str, challenge: str) -> bytes:
        # round-trip so the challenge is re-encoded exactly as a browser would
        encoded = bytes_to_base64url(base64url_to_bytes(challenge))
        body = {"type": kind, "challenge": encoded, "origin": self.origin, "crossOrigin": False}
        return json.dumps(body).encode()
