"""Visitors download and decrypt an album's files, and add files when the owner allows it,
on every database with each storage backend."""

from __future__ import annotations

import io
import os
from typing import Any

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import (
    PART_SIZE,
    Album,
    collection_diff,
    create_album,
    encrypted_upload,
    md5_b64,
    upload,
)
from tests.fixtures.net import http
from tests.public_links.links import LinkPassword, Visitor, share_url, token_of, update_link


def test_visitor_downloads_and_decrypts(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    data = os.urandom(200_000)
    photo = upload(owner, album, data, title="cliff.jpg")
    elsewhere = upload(owner, create_album(owner, name="Private"), b"not shared")
    visitor = Visitor(stack.url, token_of(share_url(owner, album)["url"]))

    [row] = visitor.diff().json()["diff"]
    file_key = crypto.secretbox_decrypt(row["encryptedKey"], row["keyDecryptionNonce"], album.key)
    metadata = crypto.decrypt_metadata(
        row["metadata"]["encryptedData"], row["metadata"]["decryptionHeader"], file_key
    )
    assert metadata["title"] == "cliff.jpg"
    response = visitor.fetch(photo.id)
    assert response.status_code == 200, response.text
    assert crypto.decrypt_file(file_key, photo.header, response.content) == data
    thumbnail = visitor.fetch(photo.id, kind="preview")
    assert crypto.decrypt_file(file_key, photo.thumbnail_header, thumbnail.content) == (
        photo.thumbnail
    )

    # Only files live in the link's album.
    assert visitor.fetch(elsewhere.id).status_code == 403
    assert visitor.fetch(10**15).status_code == 403
    assert (
        owner.client.post(
            "/files/trash", json={"items": [{"fileID": photo.id, "collectionID": album.id}]}
        ).status_code
        == 200
    )
    assert visitor.fetch(photo.id).status_code == 403
    [row] = visitor.diff().json()["diff"]
    assert row["isDeleted"] is True


def test_password_protected_downloads(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    photo = upload(owner, album, b"secret bytes")
    link = share_url(owner, album)
    password = LinkPassword("correct")
    update_link(owner, album, **password.update_fields())
    visitor = Visitor(stack.url, token_of(link["url"]))
    response = visitor.fetch(photo.id)
    assert response.status_code == 401 and response.json() == {"error": {}}
    assert visitor.unlock(password).status_code == 200
    response = visitor.fetch(photo.id)
    assert response.status_code == 200
    assert crypto.decrypt_file(photo.key, photo.header, response.content) == b"secret bytes"


def guest_put(visitor: Visitor, data: bytes) -> str:
    """POST /public-collection/upload-url then PUT the bytes, as the albums viewer does."""
    response = visitor.post(
        "/public-collection/upload-url",
        json={"contentLength": len(data), "contentMD5": md5_b64(data)},
        params={"ts": 1},
    )
    assert response.status_code == 200, response.text
    target = response.json()
    put = http.put(target["url"], content=data, headers={"Content-MD5": md5_b64(data)}, timeout=60)
    assert put.status_code == 200, put.text
    return str(target["objectKey"])


def guest_put_multipart(visitor: Visitor, data: bytes) -> str:
    parts = [data[i : i + PART_SIZE] for i in range(0, len(data), PART_SIZE)]
    response = visitor.post(
        "/public-collection/multipart-upload-url",
        json={
            "contentLength": len(data),
            "partLength": PART_SIZE,
            "partMd5s": [md5_b64(p) for p in parts],
        },
    )
    assert response.status_code == 200, response.text
    target = response.json()
    etags = []
    for url, part in zip(target["partURLs"], parts, strict=True):
        put = http.put(url, content=part, headers={"Content-MD5": md5_b64(part)}, timeout=60)
        assert put.status_code == 200, put.text
        etags.append(put.headers["etag"])
    xml = "".join(
        f"<Part><PartNumber>{n}</PartNumber><ETag>{etag}</ETag></Part>"
        for n, etag in enumerate(etags, start=1)
    )
    done = http.post(
        target["completeURL"],
        content=f"<CompleteMultipartUpload>{xml}</CompleteMultipartUpload>".encode(),
        headers={"Content-Type": "text/xml"},
        timeout=60,
    )
    assert done.status_code == 200, done.text
    return str(target["objectKey"])


def guest_file_body(
    visitor: Visitor, owner: Account, album: Album, data: bytes, *, multipart: bool = False
) -> tuple[dict[str, Any], bytes, bytes]:
    """Encrypt like the viewer (with the album key from the URL fragment) and put the objects."""
    file_key, header, ciphertext = crypto.encrypt_file(data)
    thumb_header, chunks = crypto.encrypt_stream(io.BytesIO(b"thumb"), file_key)
    thumb = b"".join(chunks)
    box = crypto.secretbox_encrypt(file_key, album.key)
    file_object = (
        guest_put_multipart(visitor, ciphertext) if multipart else guest_put(visitor, ciphertext)
    )
    body = {
        "collectionID": album.id,
        "encryptedKey": box.encrypted_data,
        "keyDecryptionNonce": box.nonce,
        "file": {"objectKey": file_object, "decryptionHeader": crypto.b64(header)},
        "thumbnail": {
            "objectKey": guest_put(visitor, thumb),
            "decryptionHeader": crypto.b64(thumb_header),
        },
        "metadata": crypto.encrypt_metadata({"title": "from a guest", "fileType": 0}, file_key),
    }
    return body, file_key, header


def usage(account: Account) -> int:
    return int(account.client.get("/users/details/v2").json()["usage"])


def test_guest_upload_is_the_owners(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    link = share_url(owner, album, enableCollect=True)
    visitor = Visitor(stack.url, token_of(link["url"]))
    before = usage(owner)
    data = os.urandom(50_000)
    body, file_key, header = guest_file_body(visitor, owner, album, data)
    assert body["file"]["objectKey"].startswith(f"{owner.client.user_id}/")
    response = visitor.post("/public-collection/file", json={**body, "id": 12345})
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["ownerID"] == owner.client.user_id and created["collectionID"] == album.id
    size = created["file"]["size"] + created["thumbnail"]["size"]
    assert usage(owner) == before + size

    # The owner syncs and opens it like any of their files.
    [row] = collection_diff(owner.client, album.id)
    assert row["id"] == created["id"]
    response = owner.client.http.get(
        f"/files/download/{created['id']}", params={"token": owner.client.token}
    )
    assert response.status_code == 307
    assert (
        crypto.decrypt_file(file_key, header, http.get(response.headers["location"]).content)
        == data
    )
    assert [r["id"] for r in visitor.diff().json()["diff"]] == [created["id"]]

    # The legacy URL routes work for guests too.
    urls = visitor.get("/public-collection/upload-urls", params={"count": 2}).json()["urls"]
    assert len(urls) == 2 and all(
        u["objectKey"].startswith(f"{owner.client.user_id}/") for u in urls
    )
    multi = visitor.get("/public-collection/multipart-upload-urls", params={"count": 3}).json()
    assert len(multi["urls"]["partURLs"]) == 3


def test_guest_multipart_upload(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    visitor = Visitor(stack.url, token_of(share_url(owner, album, enableCollect=True)["url"]))
    data = os.urandom(PART_SIZE + 1000)
    body, _, _ = guest_file_body(visitor, owner, album, data, multipart=True)
    response = visitor.post("/public-collection/file", json=body)
    assert response.status_code == 200, response.text


def test_guest_uploads_need_collect(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    link = share_url(owner, album)
    visitor = Visitor(stack.url, token_of(link["url"]))
    md5 = md5_b64(b"x")
    attempts: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/public-collection/upload-urls", {"params": {"count": 1}}),
        (
            "POST",
            "/public-collection/upload-url",
            {"json": {"contentLength": 1, "contentMD5": md5}},
        ),
        ("GET", "/public-collection/multipart-upload-urls", {"params": {"count": 1}}),
        (
            "POST",
            "/public-collection/multipart-upload-url",
            {"json": {"contentLength": 1, "partLength": 1, "partMd5s": [md5]}},
        ),
    ]
    owner_body, _ = encrypted_upload(owner, album, b"owner's upload")
    attempts.append(("POST", "/public-collection/file", {"json": owner_body}))
    for method, path, kwargs in attempts:
        response = visitor.client.request(method, path, headers=visitor.headers(), **kwargs)
        assert response.status_code == 405, (path, response.text)
        assert response.json()["code"] == "PUBLIC_COLLECT_DISABLED"

    update_link(owner, album, enableCollect=True)
    other = create_album(owner, name="Other")
    response = visitor.post(
        "/public-collection/file", json={**owner_body, "collectionID": other.id}
    )
    assert response.status_code == 400
    response = visitor.post("/public-collection/file", json={"collectionID": album.id})
    assert response.status_code == 400 and response.json()["code"] == "BAD_REQUEST"
