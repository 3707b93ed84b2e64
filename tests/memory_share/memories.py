"""Memory links as the Ente clients drive them: the mobile app creates and lists them, the web
memories viewer opens them anonymously."""

from __future__ import annotations

import gzip
import hashlib
import json
import secrets
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import func, select

from photo_api.models import MemoryShareFile
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import Uploaded, master_key
from tests.fixtures.net import http

# The mobile app's link secret: 12 base62 characters, in the URL fragment only.
BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
SECRET_LENGTH = 12
# What a browser opening a link sends; the /public-memory routes do not read it.
VIEWER_PACKAGE = "io.ente.albums.web"
MEMORY_SHARE_FIELDS = {
    "id",
    "type",
    "memoryHash",
    "metadataCipher",
    "metadataNonce",
    "encryptedKey",
    "keyDecryptionNonce",
    "accessToken",
    "createdAt",
    "updatedAt",
    "url",
}


def memory_entity_key(account: Account) -> bytes:
    """The user's "memory" entity key (created on first use), which the mobile app encrypts
    each link's secret with so that its other devices can rebuild the link."""
    client = account.client
    response = client.get("/user-entity/key", params={"type": "memory"})
    if response.status_code == 200:
        body = response.json()
        return crypto.secretbox_decrypt(body["encryptedKey"], body["header"], master_key(client))
    assert response.status_code == 404, response.text
    key = crypto.new_key()
    boxed = crypto.secretbox_encrypt(key, master_key(client))
    body = {"type": "memory", "encryptedKey": boxed.encrypted_data, "header": boxed.nonce}
    assert client.post("/user-entity/key", json=body).status_code == 200
    return key


def share_key(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def memory_hash(files: Sequence[Uploaded]) -> str:
    ids = [str(f.id) for f in files]
    return hashlib.sha256(f"{len(ids)}:{','.join(ids)}".encode()).hexdigest()


def create_body(
    account: Account, files: Sequence[Uploaded], *, title: str = "Summer", type_: str = "share"
) -> tuple[dict[str, Any], str]:
    """The mobile app's POST /memory-share body and the secret it puts in the fragment."""
    secret = "".join(secrets.choice(BASE62) for _ in range(SECRET_LENGTH))
    key = share_key(secret)
    description: dict[str, Any] = {"name": title}
    plaintext = json.dumps(description).encode()
    if type_ == "lane":
        description |= {"kind": "lane", "frames": [{"fileID": f.id} for f in files]}
        plaintext = gzip.compress(json.dumps(description).encode())
    metadata = crypto.secretbox_encrypt(plaintext, key)
    wrapped_secret = crypto.secretbox_encrypt(secret.encode(), memory_entity_key(account))
    items = []
    for position, file in enumerate(files):
        box = crypto.secretbox_encrypt(file.key, key)
        items.append(
            {
                "fileID": file.id,
                "position": position,
                "encryptedKey": box.encrypted_data,
                "keyDecryptionNonce": box.nonce,
            }
        )
    body = {
        "type": type_,
        "metadataCipher": metadata.encrypted_data,
        "metadataNonce": metadata.nonce,
        "encryptedKey": wrapped_secret.encrypted_data,
        "keyDecryptionNonce": wrapped_secret.nonce,
        "memoryHash": memory_hash(files),
        "files": items,
    }
    return body, secret


@dataclass
class MemoryLink:
    share: dict[str, Any]
    secret: str

    @property
    def id(self) -> int:
        return int(self.share["id"])

    @property
    def url(self) -> str:
        """What the app shows the user: the server's URL with the secret appended."""
        return f"{self.share['url']}#{self.secret}"


def share_memory(account: Account, files: Sequence[Uploaded], **options: Any) -> MemoryLink:
    body, secret = create_body(account, files, **options)
    response = account.client.post("/memory-share", json=body)
    assert response.status_code == 200, response.text
    return MemoryLink(response.json()["memoryShare"], secret)


def listed(account: Account) -> list[dict[str, Any]]:
    response = account.client.get("/memory-share")
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"memoryShares"}
    return list(response.json()["memoryShares"])


def secret_of(account: Account, share: dict[str, Any]) -> str:
    """What another device of the owner does to rebuild a listed link's fragment."""
    return crypto.secretbox_decrypt(
        share["encryptedKey"], share["keyDecryptionNonce"], memory_entity_key(account)
    ).decode()


def file_rows(server: RunningServer, share_id: int) -> int:
    """How many file rows (re-encrypted keys) the database still holds for a link."""
    with server.app.state.db.session(write=False) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(MemoryShareFile)
                .where(MemoryShareFile.memory_share_id == share_id)
            )
            or 0
        )


class MemoryVisitor:
    """An anonymous browser opening a link in the memories viewer."""

    def __init__(self, base_url: str, url: str) -> None:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s]
        # The viewer takes the token from a one-segment path, and the key from the fragment.
        assert len(segments) == 1, url
        self.token = segments[0]
        self.key = share_key(parts.fragment)
        self.client = EnteClient(base_url, package=VIEWER_PACKAGE)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, headers={"X-Auth-Access-Token": self.token}, **kwargs)

    def files(self) -> list[dict[str, Any]]:
        response = self.get("/public-memory/files")
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        return list(response.json()["files"])

    def file_key(self, item: dict[str, Any]) -> bytes:
        return crypto.secretbox_decrypt(item["encryptedKey"], item["keyDecryptionNonce"], self.key)

    def fetch(self, file_id: int, kind: str = "download") -> httpx.Response:
        """The viewer's download on a self-hosted server: the token in the query and no custom
        header, then the redirect to storage."""
        response = self.client.http.get(
            f"/public-memory/files/{kind}/{file_id}", params={"accessToken": self.token}
        )
        if response.status_code != 307:
            return response
        assert "no-store" not in response.headers.get("cache-control", "")
        return http.get(response.headers["location"], timeout=60)
