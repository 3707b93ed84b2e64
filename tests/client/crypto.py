"""The Ente web client's cryptography, in Python (libsodium through PyNaCl).

Keys, KEK and key attributes follow `web/packages/accounts/services/user.ts`; boxes, blobs and
streams follow `web/packages/base/crypto/libsodium.ts`. Values on the wire are standard base64
with padding, except the session token (URL-safe base64 with padding).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO, NamedTuple

from nacl import bindings, pwhash
from nacl.public import PrivateKey
from nacl.secret import SecretBox

MIB = 1024 * 1024
# museum wants memLimit * opsLimit = 1 GiB * 4 (libsodium "sensitive") and memLimit ≥ 128 MiB.
# Measured on the 2-core test machine, Argon2id takes ≈1.1 s at 128 MiB/32, ≈1.25 s at
# 256 MiB/16 (the web's choice) and 1.8-3 s at 1 GiB/4, so tests use the cheapest valid pair.
TEST_MEM_LIMIT = 128 * MIB
TEST_OPS_LIMIT = 32
WEB_MEM_LIMIT = 256 * MIB
WEB_OPS_LIMIT = 16

STREAM_CHUNK_SIZE = 4 * MIB  # web `streamEncryptionChunkSize`: plaintext bytes per chunk
_ABYTES = bindings.crypto_secretstream_xchacha20poly1305_ABYTES  # 17: tag byte + MAC
_TAG_MESSAGE = bindings.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = bindings.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def new_key() -> bytes:
    """A random 256-bit key (master, recovery, collection and file keys alike)."""
    return secrets.token_bytes(32)


# --- key derivation -------------------------------------------------------------------------


# Argon2id dominates the test suite's run time and is deterministic, so repeated logins with
# the same password and salt reuse the result.
@functools.lru_cache(maxsize=256)
def derive_kek(password: str, salt: bytes, ops_limit: int, mem_limit: int) -> bytes:
    """Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13) of the password: the 32-byte KEK."""
    return pwhash.argon2id.kdf(32, password.encode(), salt, opslimit=ops_limit, memlimit=mem_limit)


def kdf_derive_from_key(key: bytes, *, subkey_id: int, context: bytes, length: int = 32) -> bytes:
    """libsodium crypto_kdf_derive_from_key: BLAKE2b keyed with key, salted with the id."""
    if len(context) != 8 or not 16 <= length <= 64:
        raise ValueError("context must be 8 bytes and length 16..64")
    return hashlib.blake2b(
        key=key,
        salt=subkey_id.to_bytes(8, "little") + bytes(8),
        person=context + bytes(8),
        digest_size=length,
    ).digest()


def derive_login_subkey(kek: bytes) -> bytes:
    """The SRP password P: first 16 bytes of subkey 1 of the KEK in context "loginctx"."""
    return kdf_derive_from_key(kek, subkey_id=1, context=b"loginctx", length=32)[:16]


# --- secretbox (XSalsa20-Poly1305) and sealed boxes ----------------------------------------


class Boxed(NamedTuple):
    nonce: str
    encrypted_data: str


def secretbox_encrypt(data: bytes, key: bytes) -> Boxed:
    """web `encryptBox`: random 24-byte nonce, both values base64."""
    sealed = SecretBox(key).encrypt(data)
    return Boxed(nonce=b64(sealed.nonce), encrypted_data=b64(sealed.ciphertext))


def secretbox_decrypt(encrypted_data: str, nonce: str, key: bytes) -> bytes:
    return SecretBox(key).decrypt(unb64(encrypted_data), unb64(nonce))


def wrap_key(key: bytes, wrapping_key: bytes) -> dict[str, str]:
    """A key under another (file key under collection key, collection key under master key)."""
    boxed = secretbox_encrypt(key, wrapping_key)
    return {"encryptedKey": boxed.encrypted_data, "keyDecryptionNonce": boxed.nonce}


def unwrap_key(encrypted_key: str, nonce: str, wrapping_key: bytes) -> bytes:
    return secretbox_decrypt(encrypted_key, nonce, wrapping_key)


def generate_keypair() -> tuple[bytes, bytes]:
    """An X25519 (crypto_box) key pair: (public key, secret key)."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def seal(data: bytes, public_key: bytes) -> str:
    """crypto_box_seal, base64: what museum does with tokens and delete challenges."""
    return b64(bindings.crypto_box_seal(data, public_key))


def open_sealed(sealed: str, public_key: bytes, secret_key: bytes) -> bytes:
    return bindings.crypto_box_seal_open(unb64(sealed), public_key, secret_key)


def open_encrypted_token(encrypted_token: str, public_key: bytes, secret_key: bytes) -> str:
    """The session token from `encryptedToken`, re-encoded URL-safe with padding as the web does."""
    return base64.urlsafe_b64encode(open_sealed(encrypted_token, public_key, secret_key)).decode()


# --- account keys ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyMaterial:
    """A user's secrets on one device."""

    master_key: bytes
    secret_key: bytes
    public_key: bytes
    recovery_key: bytes
    kek: bytes


def generate_key_attributes(
    password: str,
    *,
    ops_limit: int = TEST_OPS_LIMIT,
    mem_limit: int = TEST_MEM_LIMIT,
    kek_salt: bytes | None = None,
) -> tuple[dict[str, Any], KeyMaterial]:
    """New keys and the `keyAttributes` the web sends in PUT /users/attributes.

    The web draws a fresh `kek_salt`; callers that sign up many accounts may pass one salt
    for all, so that `derive_kek` computes the Argon2id of a password once.
    """
    master_key, recovery_key = new_key(), new_key()
    kek_salt = kek_salt or secrets.token_bytes(pwhash.argon2id.SALTBYTES)
    kek = derive_kek(password, kek_salt, ops_limit, mem_limit)
    public_key, secret_key = generate_keypair()
    under_kek = secretbox_encrypt(master_key, kek)
    secret_under_master = secretbox_encrypt(secret_key, master_key)
    master_under_recovery = secretbox_encrypt(master_key, recovery_key)
    recovery_under_master = secretbox_encrypt(recovery_key, master_key)
    attributes = {
        "kekSalt": b64(kek_salt),
        "encryptedKey": under_kek.encrypted_data,
        "keyDecryptionNonce": under_kek.nonce,
        "publicKey": b64(public_key),
        "encryptedSecretKey": secret_under_master.encrypted_data,
        "secretKeyDecryptionNonce": secret_under_master.nonce,
        "memLimit": mem_limit,
        "opsLimit": ops_limit,
        "masterKeyEncryptedWithRecoveryKey": master_under_recovery.encrypted_data,
        "masterKeyDecryptionNonce": master_under_recovery.nonce,
        "recoveryKeyEncryptedWithMasterKey": recovery_under_master.encrypted_data,
        "recoveryKeyDecryptionNonce": recovery_under_master.nonce,
    }
    return attributes, KeyMaterial(master_key, secret_key, public_key, recovery_key, kek)


def decrypt_key_attributes(key_attrs: Mapping[str, Any], password: str) -> KeyMaterial:
    """What the web does at login; a wrong password raises nacl.exceptions.CryptoError."""
    kek = derive_kek(
        password, unb64(key_attrs["kekSalt"]), key_attrs["opsLimit"], key_attrs["memLimit"]
    )
    master_key = secretbox_decrypt(key_attrs["encryptedKey"], key_attrs["keyDecryptionNonce"], kek)
    secret_key = secretbox_decrypt(
        key_attrs["encryptedSecretKey"], key_attrs["secretKeyDecryptionNonce"], master_key
    )
    if not key_attrs.get("recoveryKeyEncryptedWithMasterKey"):
        raise ValueError("key attributes without a recovery key")
    recovery_key = secretbox_decrypt(
        key_attrs["recoveryKeyEncryptedWithMasterKey"],
        key_attrs["recoveryKeyDecryptionNonce"],
        master_key,
    )
    return KeyMaterial(master_key, secret_key, unb64(key_attrs["publicKey"]), recovery_key, kek)


def rewrap_master_key(
    keys: KeyMaterial,
    new_password: str,
    *,
    ops_limit: int = TEST_OPS_LIMIT,
    mem_limit: int = TEST_MEM_LIMIT,
    kek_salt: bytes | None = None,
) -> dict[str, Any]:
    """The `updatedKeyAttr` of a password change (web `change-password.tsx`); a given
    `kek_salt` as in generate_key_attributes."""
    kek_salt = kek_salt or secrets.token_bytes(pwhash.argon2id.SALTBYTES)
    boxed = secretbox_encrypt(
        keys.master_key, derive_kek(new_password, kek_salt, ops_limit, mem_limit)
    )
    return {
        "kekSalt": b64(kek_salt),
        "encryptedKey": boxed.encrypted_data,
        "keyDecryptionNonce": boxed.nonce,
        "memLimit": mem_limit,
        "opsLimit": ops_limit,
    }


# --- secretstream (XChaCha20-Poly1305): blobs and files -------------------------------------


def _push_state(key: bytes) -> tuple[bindings.crypto_secretstream_xchacha20poly1305_state, bytes]:
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    header = bindings.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    return state, header


def _pull_state(key: bytes, header: bytes) -> bindings.crypto_secretstream_xchacha20poly1305_state:
    state = bindings.crypto_secretstream_xchacha20poly1305_state()
    bindings.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    return state


def encrypt_blob(data: bytes, key: bytes) -> dict[str, str]:
    """web `encryptBlob`: small data (metadata) as one FINAL secretstream message."""
    state, header = _push_state(key)
    encrypted = bindings.crypto_secretstream_xchacha20poly1305_push(state, data, tag=_TAG_FINAL)
    return {"encryptedData": b64(encrypted), "decryptionHeader": b64(header)}


def decrypt_blob(encrypted_data: str, decryption_header: str, key: bytes) -> bytes:
    state = _pull_state(key, unb64(decryption_header))
    data, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, unb64(encrypted_data))
    if tag != _TAG_FINAL:
        raise ValueError("blob is not a single FINAL message")
    return data


def encrypt_metadata(metadata: Mapping[str, Any], key: bytes) -> dict[str, str]:
    """File or collection metadata: JSON.stringify'd (no spaces), then a blob."""
    return encrypt_blob(json.dumps(metadata, separators=(",", ":")).encode(), key)


def decrypt_metadata(encrypted_data: str, decryption_header: str, key: bytes) -> Any:
    return json.loads(decrypt_blob(encrypted_data, decryption_header, key))


def encrypt_stream(source: BinaryIO, key: bytes) -> tuple[bytes, Iterator[bytes]]:
    """The header, and the encrypted 4 MiB chunks of `source` as they are read."""
    state, header = _push_state(key)

    def chunks() -> Iterator[bytes]:
        current = source.read(STREAM_CHUNK_SIZE)
        while True:
            # Read one chunk ahead: the web tags the last chunk FINAL and never sends an empty
            # chunk after input that is an exact multiple of the chunk size.
            following = source.read(STREAM_CHUNK_SIZE)
            tag = _TAG_MESSAGE if following else _TAG_FINAL
            yield bindings.crypto_secretstream_xchacha20poly1305_push(state, current, tag=tag)
            if not following:
                return
            current = following

    return header, chunks()


def decrypt_stream(source: BinaryIO, key: bytes, header: bytes) -> Iterator[bytes]:
    """Plaintext chunks of an encrypted file; raises on tampering, truncation or trailing data."""
    state = _pull_state(key, header)
    tag = _TAG_MESSAGE
    while tag != _TAG_FINAL:
        chunk = source.read(STREAM_CHUNK_SIZE + _ABYTES)
        if not chunk:
            raise ValueError("stream ends without a FINAL chunk")
        data, tag = bindings.crypto_secretstream_xchacha20poly1305_pull(state, chunk)
        yield data
    if source.read(1):
        raise ValueError("data after the FINAL chunk")


def encrypt_file(data: bytes) -> tuple[bytes, bytes, bytes]:
    """A new file key, the decryption header and the ciphertext (web `encryptStreamBytes`)."""
    key = bindings.crypto_secretstream_xchacha20poly1305_keygen()
    header, chunks = encrypt_stream(io.BytesIO(data), key)
    return key, header, b"".join(chunks)


def decrypt_file(key: bytes, header: bytes, ciphertext: bytes) -> bytes:
    return b"".join(decrypt_stream(io.BytesIO(ciphertext), key, header))
