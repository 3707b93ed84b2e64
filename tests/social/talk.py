"""Comments and reactions as the Ente web apps encrypt, send and read them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.client import crypto
from tests.fixtures.ente import Account
from tests.public_links.links import Visitor

# The web pads a reaction to 100 bytes, so that its cipher does not tell which one it is.
PADDED_REACTION = 100


def box(text: str, key: bytes) -> dict[str, str]:
    sealed = crypto.secretbox_encrypt(text.encode(), key)
    return {"cipher": sealed.encrypted_data, "nonce": sealed.nonce}


def reaction_box(kind: str, key: bytes) -> dict[str, str]:
    return box(kind.ljust(PADDED_REACTION, "\0"), key)


def opened(row: dict[str, Any], key: bytes) -> str:
    text = crypto.secretbox_decrypt(row["cipher"], row["nonce"], key).decode()
    return text.rstrip("\0")


def comment(account: Account, album_id: int, key: bytes, text: str, **extra: Any) -> httpx.Response:
    return account.client.post(
        "/comments", json={"collectionID": album_id, **box(text, key), **extra}
    )


def react(account: Account, album_id: int, key: bytes, kind: str, **extra: Any) -> httpx.Response:
    return account.client.put(
        "/reactions", json={"collectionID": album_id, **reaction_box(kind, key), **extra}
    )


def social_diff(account: Account, album_id: int, **params: Any) -> dict[str, Any]:
    response = account.client.get(
        "/social/diff", params={"collectionID": album_id, "sinceTime": 0, **params}
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def texts(rows: list[dict[str, Any]], key: bytes) -> dict[str, str]:
    """Live rows by id, decrypted; tombstones as ""."""
    return {row["id"]: "" if row["isDeleted"] else opened(row, key) for row in rows}


class AnonVisitor(Visitor):
    """A link visitor who picked a name to comment under."""

    anon_user_id: str = ""
    anon_token: str = ""

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(**kwargs.pop("headers", {}))
        return self.client.request("DELETE", path, headers=headers, **kwargs)

    def identify(self, name: str, key: bytes) -> httpx.Response:
        response = self.post("/public-collection/anon-identity", json=box(name, key))
        if response.status_code == 201:
            self.anon_user_id = response.json()["anonUserID"]
            self.anon_token = response.json()["token"]
        return response

    def anon(self) -> dict[str, str]:
        return {"anonUserID": self.anon_user_id, "anonToken": self.anon_token}

    def comment(self, file_id: int, key: bytes, text: str, **extra: Any) -> httpx.Response:
        body = {"fileID": file_id, **box(text, key), **self.anon(), **extra}
        return self.post("/public-collection/comments", json=body)

    def react(self, file_id: int | None, key: bytes, kind: str, **extra: Any) -> httpx.Response:
        body = {"fileID": file_id, **reaction_box(kind, key), **self.anon(), **extra}
        return self.post("/public-collection/reactions", json=body)

    def feed(self, **params: Any) -> httpx.Response:
        return self.get("/public-collection/social/diff", params={"sinceTime": 0, **params})
