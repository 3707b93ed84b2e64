"""A cast receiver (the web's cast app) and a sender (the photos app's cast dialog)."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

import httpx

from tests.client import crypto
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.net import http

CAST_PACKAGE = "io.ente.cast.web"
TOKEN_ALPHABET = string.ascii_letters + string.digits


def new_cast_token() -> str:
    """What the web sender generates: "cast_" and 22 alphanumerics."""
    return "cast_" + "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(22))


class Tv:
    """A browser on a TV: its own key pair and address, no account."""

    def __init__(self, base_url: str) -> None:
        self.client = EnteClient(base_url, package=CAST_PACKAGE)
        self.public_key, self.secret_key = crypto.generate_keypair()
        self.code = ""
        self.token = ""
        self.collection_id = 0
        self.collection_key = b""

    def register(self) -> httpx.Response:
        response = self.client.post(
            "/cast/device-info", json={"publicKey": crypto.b64(self.public_key)}
        )
        if response.status_code == 200:
            self.code = response.json()["deviceCode"]
        return response

    def poll(self) -> httpx.Response:
        return self.client.get(f"/cast/cast-data/{self.code}")

    def pair(self) -> None:
        """Poll once the sender has claimed the code, open the payload, keep what it holds."""
        response = self.poll()
        assert response.status_code == 200, response.text
        sealed = response.json()["encCastData"]
        assert sealed is not None
        payload = json.loads(crypto.open_sealed(sealed, self.public_key, self.secret_key))
        self.token = payload["castToken"]
        self.collection_id = payload["collectionID"]
        self.collection_key = crypto.unb64(payload["collectionKey"])

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """What the slideshow sends: only the cast token."""
        headers = {"X-Cast-Access-Token": self.token, **kwargs.pop("headers", {})}
        return self.client.get(path, headers=headers, **kwargs)

    def diff(self, since: int = 0) -> httpx.Response:
        return self.get("/cast/diff", params={"sinceTime": since})

    def album(self) -> list[dict[str, Any]]:
        """Every page of the cast album, as the slideshow lists it."""
        rows: list[dict[str, Any]] = []
        since = 0
        while True:
            response = self.diff(since)
            assert response.status_code == 200, response.text
            body = response.json()
            rows.extend(body["diff"])
            if not body["hasMore"] or not body["diff"]:
                return rows
            since = max(row["updationTime"] for row in body["diff"])

    def fetch(self, file_id: int, kind: str = "download") -> httpx.Response:
        """A self-hosted receiver's download: the token in the query, then the redirect."""
        response = self.client.http.get(
            f"/cast/files/{kind}/{file_id}", params={"castToken": self.token}
        )
        if response.status_code != 307:
            return response
        assert "no-store" not in response.headers.get("cache-control", "")
        return http.get(response.headers["location"], timeout=60)

    def file_key(self, row: dict[str, Any]) -> bytes:
        return crypto.secretbox_decrypt(
            row["encryptedKey"], row["keyDecryptionNonce"], self.collection_key
        )


def public_key_of(sender: Account, code: str) -> httpx.Response:
    return sender.client.get(f"/cast/device-info/{code}")


def publish(
    sender: Account,
    *,
    code: str,
    collection_id: int,
    collection_key: bytes,
    public_key: bytes,
    token: str | None = None,
    path: str = "/cast/cast-data",
) -> httpx.Response:
    token = token or new_cast_token()
    payload = {
        "castToken": token,
        "collectionID": collection_id,
        "collectionKey": crypto.b64(collection_key),
    }
    return sender.client.post(
        path,
        json={
            "castToken": token,
            "deviceCode": code,
            "encPayload": crypto.seal(json.dumps(payload).encode(), public_key),
            "collectionID": collection_id,
        },
    )


def cast(sender: Account, tv: Tv, collection_id: int, collection_key: bytes) -> None:
    """The whole pairing: the TV shows a code, the sender types it, the TV picks up."""
    if not tv.code:
        assert tv.register().status_code == 200
    response = public_key_of(sender, tv.code.lower())
    assert response.status_code == 200, response.text
    response = publish(
        sender,
        code=tv.code,
        collection_id=collection_id,
        collection_key=collection_key,
        public_key=crypto.unb64(response.json()["publicKey"]),
    )
    assert response.status_code == 200, response.text
    assert response.json() == {}
    tv.pair()
