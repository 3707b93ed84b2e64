"""The test client's cryptography against libsodium's vectors and the web client's formats."""

from __future__ import annotations

import base64
import io
import os
import re

import pytest
from argon2.low_level import Type, hash_secret_raw
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PublicKey, SealedBox

from tests.client import crypto

CHUNK = crypto.STREAM_CHUNK_SIZE
TAG = 17  # secretstream ABYTES
STD_B64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")


# jedisct1/libsodium, test/default/kdf.c and kdf.exp: key = bytes 0..31, context "KDF test";
# first 64-byte subkeys 0 and 1, then subkey i of length i (here 16 and 32).
KDF_VECTORS = [
    (
        0,
        64,
        "a0c724404728c8bb95e5433eb6a9716171144d61efb23e74b873fcbeda51d807"
        "1b5d70aae12066dfc94ce943f145aa176c055040c3dd73b0a15e36254d450614",
    ),
    (
        1,
        64,
        "02507f144fa9bf19010bf7c70b235b4c2663cc00e074f929602a5e2c10a78075"
        "7d2a3993d06debc378a90efdac196dd841817b977d67b786804f6d3cd585bab5",
    ),
    (16, 16, "a529216624ef9161e4cf117272aafff2"),
    (32, 32, "154b291f11196737f8b7f491e4ca11764e0227d34f94295408a869f007aa8618"),
]


@pytest.mark.parametrize(("subkey_id", "length", "expected"), KDF_VECTORS)
def test_kdf_matches_libsodium_vectors(subkey_id: int, length: int, expected: str) -> None:
    subkey = crypto.kdf_derive_from_key(
        bytes(range(32)), subkey_id=subkey_id, context=b"KDF test", length=length
    )
    assert subkey.hex() == expected


def test_login_subkey_is_libsodiums_salted_personalised_blake2b() -> None:
    kek = os.urandom(32)
    # libsodium's own crypto_generichash_blake2b_salt_personal, which its crypto_kdf calls.
    reference = blake2b(
        b"",
        digest_size=32,
        key=kek,
        salt=(1).to_bytes(8, "little") + bytes(8),
        person=b"loginctx" + bytes(8),
        encoder=RawEncoder,
    )
    assert crypto.derive_login_subkey(kek) == reference[:16]


def test_argon2id_matches_the_reference_implementation() -> None:
    # Small parameters: this checks the mapping of ops/mem limits, not the strength.
    salt = os.urandom(16)
    reference = hash_secret_raw(
        "pässword".encode(),
        salt,
        time_cost=3,
        memory_cost=8 * 1024,
        parallelism=1,
        hash_len=32,
        type=Type.ID,
        version=19,
    )
    assert crypto.derive_kek("pässword", salt, 3, 8 * crypto.MIB) == reference


@pytest.mark.parametrize(
    ("mem", "ops"),
    [(crypto.TEST_MEM_LIMIT, crypto.TEST_OPS_LIMIT), (crypto.WEB_MEM_LIMIT, crypto.WEB_OPS_LIMIT)],
)
def test_kdf_limits_pass_museums_checks(mem: int, ops: int) -> None:
    assert mem * ops == 4 * 1024 * crypto.MIB and mem >= 128 * crypto.MIB


def test_key_attributes_as_the_web_sends_them() -> None:
    attrs, keys = crypto.generate_key_attributes("correct horse")
    assert set(attrs) == {
        "kekSalt",
        "encryptedKey",
        "keyDecryptionNonce",
        "publicKey",
        "encryptedSecretKey",
        "secretKeyDecryptionNonce",
        "memLimit",
        "opsLimit",
        "masterKeyEncryptedWithRecoveryKey",
        "masterKeyDecryptionNonce",
        "recoveryKeyEncryptedWithMasterKey",
        "recoveryKeyDecryptionNonce",
    }
    sizes = {
        "kekSalt": 16,
        "publicKey": 32,
        "encryptedKey": 48,
        "encryptedSecretKey": 48,
        "masterKeyEncryptedWithRecoveryKey": 48,
        "recoveryKeyEncryptedWithMasterKey": 48,
        "keyDecryptionNonce": 24,
        "secretKeyDecryptionNonce": 24,
        "masterKeyDecryptionNonce": 24,
        "recoveryKeyDecryptionNonce": 24,
    }
    for name, size in sizes.items():
        assert STD_B64.match(attrs[name]), name
        assert len(base64.b64decode(attrs[name])) == size, name
    assert (attrs["memLimit"], attrs["opsLimit"]) == (128 * crypto.MIB, 32)

    assert crypto.decrypt_key_attributes(attrs, "correct horse") == keys
    with pytest.raises(CryptoError):
        crypto.decrypt_key_attributes(attrs, "wrong horse")
    # The recovery key alone opens the master key (web recover.tsx).
    assert (
        crypto.secretbox_decrypt(
            attrs["masterKeyEncryptedWithRecoveryKey"],
            attrs["masterKeyDecryptionNonce"],
            keys.recovery_key,
        )
        == keys.master_key
    )

    updated = crypto.rewrap_master_key(keys, "battery staple")
    assert set(updated) == {"kekSalt", "encryptedKey", "keyDecryptionNonce", "memLimit", "opsLimit"}
    again = crypto.decrypt_key_attributes({**attrs, **updated}, "battery staple")
    assert (again.master_key, again.secret_key) == (keys.master_key, keys.secret_key)


def test_encrypted_token_opens_to_the_url_safe_token() -> None:
    public_key, secret_key = crypto.generate_keypair()
    raw = b"\xfb\xff\xbf" * 10 + b"\x00\x01"  # 32 bytes whose base64 has '+' and '/'
    # What museum does: crypto_box_seal of the raw 32 bytes to the user's public key.
    sealed = base64.b64encode(SealedBox(PublicKey(public_key)).encrypt(raw)).decode()
    assert len(sealed) == 108
    token = crypto.open_encrypted_token(sealed, public_key, secret_key)
    assert token == base64.urlsafe_b64encode(raw).decode()
    assert len(token) == 44 and token.endswith("=") and "-" in token and "_" in token
    other_public, other_secret = crypto.generate_keypair()
    with pytest.raises(CryptoError):
        crypto.open_sealed(sealed, other_public, other_secret)
    assert crypto.open_sealed(crypto.seal(b"hi", public_key), public_key, secret_key) == b"hi"


def test_secretbox_and_wrapped_keys() -> None:
    master_key, collection_key, file_key = crypto.new_key(), crypto.new_key(), crypto.new_key()
    nonce, box = crypto.secretbox_encrypt(b"secret", master_key)
    assert len(base64.b64decode(nonce)) == 24
    assert crypto.secretbox_decrypt(box, nonce, master_key) == b"secret"
    tampered = bytearray(base64.b64decode(box))
    tampered[0] ^= 1
    with pytest.raises(CryptoError):
        crypto.secretbox_decrypt(base64.b64encode(tampered).decode(), nonce, master_key)

    wrapped_collection = crypto.wrap_key(collection_key, master_key)
    wrapped_file = crypto.wrap_key(file_key, collection_key)
    assert set(wrapped_file) == {"encryptedKey", "keyDecryptionNonce"}
    opened = crypto.unwrap_key(
        wrapped_collection["encryptedKey"], wrapped_collection["keyDecryptionNonce"], master_key
    )
    assert opened == collection_key
    assert (
        crypto.unwrap_key(wrapped_file["encryptedKey"], wrapped_file["keyDecryptionNonce"], opened)
        == file_key
    )


def test_metadata_is_a_single_final_blob_of_compact_json() -> None:
    key = crypto.new_key()
    metadata = {"title": "IMG_0001.jpg", "creationTime": 1700000000000000, "fileType": 0}
    blob = crypto.encrypt_metadata(metadata, key)
    assert len(base64.b64decode(blob["decryptionHeader"])) == 24
    raw = crypto.decrypt_blob(blob["encryptedData"], blob["decryptionHeader"], key)
    assert raw == b'{"title":"IMG_0001.jpg","creationTime":1700000000000000,"fileType":0}'
    assert crypto.decrypt_metadata(blob["encryptedData"], blob["decryptionHeader"], key) == metadata


def test_file_of_three_chunks_and_a_tail() -> None:
    data = os.urandom(3 * CHUNK + 1000)
    key, header, ciphertext = crypto.encrypt_file(data)
    assert (len(key), len(header)) == (32, 24)
    assert len(ciphertext) == len(data) + 4 * TAG
    assert crypto.decrypt_file(key, header, ciphertext) == data

    for position in (10, CHUNK + TAG + 5, len(ciphertext) - 1):  # first, second and last chunk
        tampered = bytearray(ciphertext)
        tampered[position] ^= 0x80
        with pytest.raises(CryptoError):
            crypto.decrypt_file(key, header, bytes(tampered))
    with pytest.raises(ValueError, match="FINAL"):  # the tail chunk dropped
        crypto.decrypt_file(key, header, ciphertext[: 3 * (CHUNK + TAG)])
    with pytest.raises(CryptoError):
        crypto.decrypt_file(crypto.new_key(), header, ciphertext)


def test_streaming_matches_the_web_chunking() -> None:
    data = os.urandom(2 * CHUNK)  # an exact multiple: no empty chunk after it
    key = crypto.new_key()
    header, chunks = crypto.encrypt_stream(io.BytesIO(data), key)
    encrypted = list(chunks)
    assert [len(c) for c in encrypted] == [CHUNK + TAG, CHUNK + TAG]
    ciphertext = b"".join(encrypted)
    plain = list(crypto.decrypt_stream(io.BytesIO(ciphertext), key, header))
    assert [len(p) for p in plain] == [CHUNK, CHUNK] and b"".join(plain) == data
    with pytest.raises(ValueError, match="after the FINAL"):
        crypto.decrypt_file(key, header, ciphertext + b"x")

    empty_key, empty_header, empty = crypto.encrypt_file(b"")
    assert len(empty) == TAG
    assert crypto.decrypt_file(empty_key, empty_header, empty) == b""
