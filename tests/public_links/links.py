"""A public link's owner and its anonymous visitors, as the Ente web apps drive them."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.client import crypto
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import Album
from tests.fixtures.net import http

# What the albums viewer sends; museum treats it as the photos app.
ALBUMS_PACKAGE = "io.ente.albums.web"
# Argon2id parameters for link passwords: the server only compares hashes, so cheap ones do.
LINK_OPS_LIMIT = 2
LINK_MEM_LIMIT = 16 * 1024 * 1024


@dataclass
class LinkPassword:
    password: str
    nonce: str = field(default_factory=lambda: crypto.b64(secrets.token_bytes(16)))

    @property
    def pass_hash(self) -> str:
        """The web's deriveKey(password, nonce, ops, mem): Argon2id, base64."""
        key = crypto.derive_kek(
            self.password, base64.b64decode(self.nonce), LINK_OPS_LIMIT, LINK_MEM_LIMIT
        )
        return crypto.b64(key)

    def update_fields(self) -> dict[str, Any]:
        return {
            "passHash": self.pass_hash,
            "nonce": self.nonce,
            "opsLimit": LINK_OPS_LIMIT,
            "memLimit": LINK_MEM_LIMIT,
        }


def share_url(account: Account, album: Album, **options: Any) -> dict[str, Any]:
    response = account.client.post(
        "/collections/share-url", json={"collectionID": album.id, **options}
    )
    assert response.status_code == 200, response.text
    return dict(response.json()["result"])


def update_link(account: Account, album: Album, **changes: Any) -> httpx.Response:
    return account.client.put("/collections/share-url", json={"collectionID": album.id, **changes})


def token_of(url: str) -> str:
    return url.rsplit("?t=", 1)[1]


class Visitor:
    """An anonymous browser holding a link (and maybe its password proof and device token)."""

    def __init__(self, base_url: str, token: str) -> None:
        # Each visitor comes from its own address: a device of its own to the device limit.
        self.client = EnteClient(base_url, package=ALBUMS_PACKAGE)
        self.token = token
        self.jwt: str | None = None
        self.device_token: str | None = None

    def headers(self, **extra: str) -> dict[str, str]:
        out = {"X-Auth-Access-Token": self.token, **extra}
        if self.jwt:
            out["X-Auth-Access-Token-JWT"] = self.jwt
        if self.device_token:
            out["X-Auth-Link-Device-Token"] = self.device_token
        return out

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(**kwargs.pop("headers", {}))
        return self.client.get(path, headers=headers, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = self.headers(**kwargs.pop("headers", {}))
        return self.client.post(path, headers=headers, **kwargs)

    def info(self) -> httpx.Response:
        response = self.get("/public-collection/info")
        if minted := response.headers.get("x-ente-link-device-token"):
            self.device_token = minted
        return response

    def diff(self, since: int = 0) -> httpx.Response:
        return self.get("/public-collection/diff", params={"sinceTime": since})

    def unlock(self, password: LinkPassword) -> httpx.Response:
        response = self.post(
            "/public-collection/verify-password", json={"passHash": password.pass_hash}
        )
        if response.status_code == 200:
            self.jwt = response.json()["jwtToken"]
        return response

    def fetch(self, file_id: int, kind: str = "download") -> httpx.Response:
        """The self-hosted viewer's download: credentials in the query, no custom headers,
        then the redirect to storage."""
        params = {"accessToken": self.token}
        if self.jwt:
            params["accessTokenJWT"] = self.jwt
        response = self.client.http.get(f"/public-collection/files/{kind}/{file_id}", params=params)
        if response.status_code != 307:
            return response
        assert "no-store" not in response.headers.get("cache-control", "")
        return http.get(response.headers["location"], timeout=60)
