"""Session tokens: 32 random bytes, URL-safe base64 with padding; only their hash is stored."""

from __future__ import annotations

import base64
import hashlib
import secrets

from nacl.public import PublicKey, SealedBox

TOKEN_BYTES = 32


def new_token() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).decode()


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def seal(data: bytes, public_key_b64: str) -> str:
    """A libsodium sealed box to a user's public key, base64."""
    box = SealedBox(PublicKey(base64.b64decode(public_key_b64)))
    return base64.b64encode(box.encrypt(data)).decode()


def sealed_token(token: str, public_key_b64: str) -> str:
    """encryptedToken: the raw token bytes (not its text) sealed to the user's key."""
    return seal(base64.urlsafe_b64decode(token), public_key_b64)
