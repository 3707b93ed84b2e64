"""The contacts calls of Ente's shared Rust client (the web through wasm, mobile), in Python."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from nacl import bindings
from nacl.secret import SecretBox

from tests.client import crypto
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import create_album, master_key, md5_b64
from tests.fixtures.net import http
from tests.sharing.test_sharing import share

CONTACT_FIELDS = [
    "id",
    "userID",
    "contactUserID",
    "email",
    "profilePictureAttachmentID",
    "encryptedKey",
    "encryptedData",
    "isDeleted",
    "createdAt",
    "updatedAt",
]


@dataclass
class Contact:
    id: str
    key: bytes
    body: dict[str, Any]


def root_key(client: EnteClient) -> bytes:
    """The root contact key: a user-entity key of type "contact", created on first use."""
    response = client.get("/user-entity/key", params={"type": "contact"})
    if response.status_code == 200:
        body = response.json()
        return crypto.secretbox_decrypt(body["encryptedKey"], body["header"], master_key(client))
    assert response.status_code == 404, response.text
    key = crypto.new_key()
    boxed = crypto.secretbox_encrypt(key, master_key(client))
    created = client.post(
        "/user-entity/key",
        json={"type": "contact", "encryptedKey": boxed.encrypted_data, "header": boxed.nonce},
    )
    assert created.status_code == 200, created.text
    return key


def secretbox_combined(data: bytes, key: bytes) -> bytes:
    """nonce ‖ MAC ‖ ciphertext, as the Rust client wraps a contact key."""
    return bytes(SecretBox(key).encrypt(data))


def blob_combined(data: bytes, key: bytes) -> bytes:
    """header ‖ one FINAL secretstream message, as the Rust client encrypts data and pictures."""
    blob = crypto.encrypt_blob(data, key)
    return crypto.unb64(blob["decryptionHeader"]) + crypto.unb64(blob["encryptedData"])


def open_blob_combined(data: bytes, key: bytes) -> bytes:
    header = bindings.crypto_secretstream_xchacha20poly1305_HEADERBYTES
    return crypto.decrypt_blob(crypto.b64(data[header:]), crypto.b64(data[:header]), key)


def encrypted_data(key: bytes, contact_user_id: int, name: str) -> str:
    payload = json.dumps({"contactUserId": contact_user_id, "name": name}).encode()
    return crypto.b64(blob_combined(payload, key))


def decrypt_name(contact: dict[str, Any], key: bytes) -> str:
    data = open_blob_combined(crypto.unb64(contact["encryptedData"]), key)
    return str(json.loads(data)["name"])


def befriend(owner: Account, other: Account) -> None:
    """Relate two users as contacts require: an album of one shared with the other."""
    album = create_album(owner, name="Shared")
    response = share(owner, album, other, "VIEWER")
    assert response.status_code == 200, response.text


def create(owner: Account, other_id: int, name: str = "Bob") -> Contact:
    client = owner.client
    key = crypto.new_key()
    wrapped = secretbox_combined(key, root_key(client))
    response = client.post(
        "/contacts",
        json={
            "contactUserID": other_id,
            "encryptedKey": crypto.b64(wrapped),
            "encryptedData": encrypted_data(key, other_id, name),
        },
    )
    assert response.status_code == 200, response.text
    assert list(response.json()) == CONTACT_FIELDS
    return Contact(response.json()["id"], key, response.json())


def contact_key(client: EnteClient, contact: dict[str, Any]) -> bytes:
    """Unwrap a contact's key from what the server returned, as the client does."""
    wrapped = base64.b64decode(contact["encryptedKey"])
    return bytes(SecretBox(root_key(client)).decrypt(wrapped))


def diff(client: EnteClient, since: int = 0, limit: int = 500) -> list[dict[str, Any]]:
    response = client.get("/contacts/diff", params={"sinceTime": since, "limit": limit})
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"diff"}
    return list(response.json()["diff"])


def sync(client: EnteClient, since: int = 0, limit: int = 500) -> list[dict[str, Any]]:
    """The web's loop: pages from the greatest updatedAt seen until one is empty."""
    seen: list[dict[str, Any]] = []
    while page := diff(client, since, limit):
        seen.extend(page)
        since = max(row["updatedAt"] for row in page)
    return seen


def upload_picture(client: EnteClient, encrypted: bytes, *, alias_of: str | None = None) -> str:
    """Ask for an upload URL (generic route, or the alias of a contact), PUT the bytes."""
    path = (
        f"/contacts/{alias_of}/profile-picture/upload-url"
        if alias_of
        else "/attachments/profile_picture/upload-url"
    )
    response = client.post(
        path, json={"contentLength": len(encrypted), "contentMD5": md5_b64(encrypted)}
    )
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"attachmentID", "url"}
    put = http.put(
        response.json()["url"], content=encrypted, headers={"Content-MD5": md5_b64(encrypted)}
    )
    assert put.status_code == 200, put.text
    return str(response.json()["attachmentID"])


def commit_picture(client: EnteClient, contact_id: str, attachment_id: str, size: int):
    return client.put(
        f"/contacts/{contact_id}/attachments/profile_picture",
        json={"attachmentID": attachment_id, "size": size},
    )


def fetch(client: EnteClient, path: str, **params: Any) -> bytes:
    """GET a route answering {"url"}, then the URL's bytes."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    got = http.get(response.json()["url"])
    assert got.status_code == 200, got.text
    return bytes(got.content)


def usage(client: EnteClient) -> int:
    return int(client.get("/storage/usage").json()["usage"])
