"""A software WebAuthn authenticator and browser: what the accounts app posts, signed for real.

An EC P-256 key, attestation "none", and the bodies of web/apps/accounts (binary values
base64url without padding), built with `cryptography` and `cbor2`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

# The settings' default accounts app: what a test server's ceremonies expect.
ORIGIN = "https://accounts.ente.com"
# Flags: user present, user verified; attested credential data with registrations.
UP_UV = 0x05
ATTESTED = 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class Authenticator:
    """One passkey. `sign_count` 0 means the authenticator keeps no counter (as synced
    passkeys do); otherwise each assertion increments it."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=_new_key)
    credential_id: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    sign_count: int = 0
    user_handle: bytes | None = None

    @property
    def id(self) -> str:
        return b64url(self.credential_id)

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def register(
        self, options: dict[str, Any], *, origin: str = ORIGIN, rp_id: str | None = None
    ) -> dict[str, Any]:
        """navigator.credentials.create(), and the body the accounts app posts to finish."""
        public_key = options["publicKey"]
        self.user_handle = unb64url(public_key["user"]["id"])
        rp_id = rp_id or public_key["rp"]["id"]
        auth_data = (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([UP_UV | ATTESTED])
            + struct.pack(">I", self.sign_count)
            + bytes(16)  # AAGUID
            + struct.pack(">H", len(self.credential_id))
            + self.credential_id
            + self.cose_key()
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", public_key["challenge"], origin)
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "attestationObject": b64url(attestation),
                "clientDataJSON": b64url(client_data),
                "transports": ["internal", "hybrid"],
            },
        }

    def assertion(
        self,
        options: dict[str, Any],
        *,
        origin: str = ORIGIN,
        rp_id: str | None = None,
        signing_key: ec.EllipticCurvePrivateKey | None = None,
        user_handle: bytes | None = None,
        advance_counter: bool = True,
    ) -> dict[str, Any]:
        """navigator.credentials.get(), and the body the accounts app posts to finish."""
        public_key = options["publicKey"]
        if self.sign_count and advance_counter:
            self.sign_count += 1
        auth_data = (
            hashlib.sha256((rp_id or public_key["rpId"]).encode()).digest()
            + bytes([UP_UV])
            + struct.pack(">I", self.sign_count)
        )
        client_data = self._client_data("webauthn.get", public_key["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = (signing_key or self.key).sign(signed, ec.ECDSA(hashes.SHA256()))
        handle = user_handle or self.user_handle
        return {
            "id": self.id,
            "rawId": self.id,
            "type": "public-key",
            "response": {
                "authenticatorData": b64url(auth_data),
                "clientDataJSON": b64url(client_data),
                "signature": b64url(signature),
                "userHandle": b64url(handle) if handle else None,
            },
        }

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        ).encode()


def raw_json(body: dict[str, Any]) -> bytes:
    """A body as the web client posts it: JSON text without a Content-Type."""
    return json.dumps(body).encode()
