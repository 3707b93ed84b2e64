"""Single-file public links: the owner's settings and what anonymous visitors get."""

from __future__ import annotations

import httpx

from photo_api.file_links import service as file_links
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import Uploaded, create_album, upload
from tests.fixtures.net import http
from tests.public_links.links import ALBUMS_PACKAGE, LinkPassword


def share_file(account: Account, photo: Uploaded, **extra: object) -> httpx.Response:
    return account.client.post(
        "/files/share-url", json={"fileID": photo.id, "app": "photos", **extra}
    )


class FileVisitor:
    def __init__(self, base_url: str, token: str) -> None:
        self.client = EnteClient(base_url, package=ALBUMS_PACKAGE)
        self.token = token
        self.jwt: str | None = None

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        headers = {"X-Auth-Access-Token": self.token}
        if self.jwt:
            headers["X-Auth-Access-Token-JWT"] = self.jwt
        return self.client.get(path, headers=headers, **kwargs)  # type: ignore[arg-type]

    def unlock(self, password: LinkPassword) -> httpx.Response:
        response = self.client.post(
            "/file-link/verify-password",
            headers={"X-Auth-Access-Token": self.token},
            json={"passHash": password.pass_hash},
        )
        if response.status_code == 200:
            self.jwt = response.json()["jwtToken"]
        return response


def token_of(url: str) -> str:
    return url.rsplit("?t=", 1)[1]


def test_owner_creates_updates_lists_and_disables(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    photo = upload(alice, create_album(alice), b"one file to share")
    response = share_file(alice, photo, encryptedFileKey="a2V5")
    assert response.status_code == 200, response.text
    link = response.json()
    assert link["linkID"].startswith("pft_") and len(link["linkID"]) == 26
    assert link["url"].startswith(f"{server.settings.albums_origin}/file/?t=")
    assert link["ownerID"] == alice.client.user_id and link["fileID"] == photo.id
    assert link["passwordEnabled"] is False and link["enableDownload"] is True
    assert link["encryptedFileKey"] == "a2V5" and "kdfNonce" not in link
    # The live link again, with key material it lacked filled in.
    again = share_file(alice, photo, encryptedFileKey="b3RoZXI=", kdfNonce="bm9uY2U=").json()
    assert again["linkID"] == link["linkID"] and again["encryptedFileKey"] == "a2V5"
    assert again["kdfNonce"] == "bm9uY2U="

    assert share_file(bob, photo).status_code == 403
    assert share_file(alice, photo, app="locker").status_code == 400
    assert (
        alice.client.post("/files/share-url", json={"fileID": 10**15, "app": "photos"}).status_code
        == 404
    )

    password = LinkPassword("file secret")
    update = {"linkID": link["linkID"], "fileID": photo.id}
    for body in (
        {},
        {"deviceLimit": 51},
        {"validTill": 1},
        {"passHash": password.pass_hash},
        {**password.update_fields(), "disablePassword": True},
    ):
        response = alice.client.put("/files/share-url", json={**update, **body})
        assert response.status_code == 400, (body, response.text)
    assert bob.client.put("/files/share-url", json={**update, "deviceLimit": 3}).status_code == 403
    response = alice.client.put("/files/share-url", json={**update, "deviceLimit": 3})
    assert response.status_code == 200 and response.json()["result"]["deviceLimit"] == 3

    for path in ("/files/share-url", "/files/share-urls/", "/files/share-urls"):
        listing = alice.client.get(path, params={"sinceTime": 0}).json()["diff"]
        assert [item["linkID"] for item in listing] == [link["linkID"]]
        assert listing[0]["url"].endswith("?t=")  # museum's listing carries no token
    assert bob.client.get("/files/share-url", params={"sinceTime": 0}).json() == {"diff": None}
    assert alice.client.get("/files/share-url").status_code == 400

    assert bob.client.delete(f"/files/share-url/{photo.id}").status_code == 403
    response = alice.client.delete(f"/files/share-url/{photo.id}")
    assert response.status_code == 200 and response.json() == {}
    response = FileVisitor(server.url, token_of(link["url"])).get("/file-link/info")
    assert response.status_code == 410 and response.json() == {"error": "disabled token"}


def test_malformed_bodies_are_400_json(alice: Account) -> None:
    for method in ("POST", "PUT"):
        for kwargs in (
            {"content": b"{"},
            {"json": {"fileID": "x", "app": "photos"}},
            {"json": {"fileID": 0, "app": "photos", "linkID": "pft_x"}},
            {"json": {"fileID": 2**64, "app": "photos", "linkID": "pft_x"}},
            {"json": {"fileID": 5, "linkID": "pft_x", "app": "", "deviceLimit": "many"}},
        ):
            response = alice.client.request(method, "/files/share-url", **kwargs)  # type: ignore[arg-type]
            assert response.status_code == 400, (method, kwargs, response.text)
            assert response.json()["code"] == "BAD_REQUEST"


def test_visitor_opens_and_decrypts_the_file(owner: Account, stack: RunningServer) -> None:
    photo = upload(owner, create_album(owner), b"a file for everyone")
    link = share_file(owner, photo).json()
    visitor = FileVisitor(stack.url, token_of(link["url"]))

    response = visitor.get("/file-link/info")
    assert response.status_code == 200, response.text
    assert response.headers["x-ente-link-device-token"]
    body = response.json()
    assert body["file"]["id"] == photo.id and body["link"] == {}
    assert "magicMetadata" not in body["file"]
    metadata = crypto.decrypt_metadata(
        body["file"]["metadata"]["encryptedData"],
        body["file"]["metadata"]["decryptionHeader"],
        photo.key,
    )
    assert metadata["title"] == "photo.jpg"
    assert visitor.client.get(f"/public/files/{visitor.token}").json() == body

    response = visitor.client.http.get("/file-link/file", params={"accessToken": visitor.token})
    assert response.status_code == 307
    blob = http.get(response.headers["location"], timeout=60).content
    assert crypto.decrypt_file(photo.key, photo.header, blob) == b"a file for everyone"
    response = visitor.get("/file-link/thumbnail")
    assert response.status_code == 307

    response = FileVisitor(stack.url, "").get("/file-link/info")
    assert response.status_code == 401
    assert response.json() == {"error": "missing accessToken", "context": "file_link"}
    assert FileVisitor(stack.url, "NOPE234567").get("/file-link/info").status_code == 401


def test_password_protected_file_link(alice: Account, server: RunningServer) -> None:
    photo = upload(alice, create_album(alice), b"protected file")
    link = share_file(alice, photo).json()
    password = LinkPassword("let me in")
    response = alice.client.put(
        "/files/share-url",
        json={"linkID": link["linkID"], "fileID": photo.id, **password.update_fields()},
    )
    assert response.status_code == 200 and response.json()["result"]["passwordEnabled"] is True
    visitor = FileVisitor(server.url, token_of(link["url"]))

    # Unlike album links, /info itself needs the proof; /pass-info gives the KDF parameters.
    response = visitor.get("/file-link/info")
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "code": "PASS_PROTECTED_RESOURCE",
            "message": "This resource is password protected",
        }
    }
    pass_info = visitor.get("/file-link/pass-info").json()
    assert pass_info == {
        "nonce": password.nonce,
        "opsLimit": password.update_fields()["opsLimit"],
        "memLimit": password.update_fields()["memLimit"],
    }
    assert visitor.unlock(LinkPassword("wrong", nonce=password.nonce)).status_code == 401
    assert visitor.unlock(password).status_code == 200
    assert visitor.get("/file-link/info").status_code == 200

    visitor.jwt = "garbage"
    response = visitor.get("/file-link/pass-info")
    assert response.status_code == 401 and response.json() == {"error": {}}


def test_trashing_disables_file_links(alice: Account, server: RunningServer) -> None:
    """disable_file_links is what the trash calls; here it is called as the trash would."""
    photo = upload(alice, create_album(alice), b"soon trashed")
    link = share_file(alice, photo).json()
    db = server.app.state.db
    with db.session() as session:
        file_links.disable_file_links(session, file_ids=[photo.id])
        session.commit()
    response = FileVisitor(server.url, token_of(link["url"])).get("/file-link/info")
    assert response.status_code == 410
    assert share_file(alice, photo).json()["linkID"] != link["linkID"]
