"""A memory link from creation to deletion: the mobile app makes and lists it, an anonymous
browser opens and decrypts it, the owner deletes it."""

from __future__ import annotations

import gzip
import json
import re

import httpx

from tests.client import crypto
from tests.filedata.helpers import upload_preview, video_body
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.fixtures.net import http
from tests.memory_share.memories import (
    MEMORY_SHARE_FIELDS,
    MemoryVisitor,
    create_body,
    file_rows,
    listed,
    memory_hash,
    secret_of,
    share_memory,
)

TOKEN = re.compile(r"^[2-9A-Z]{10}$")
ITEM_FIELDS = {"file", "position", "encryptedKey", "keyDecryptionNonce"}
FILE_FIELDS = {
    "id",
    "ownerID",
    "collectionID",
    "collectionOwnerID",
    "encryptedKey",
    "keyDecryptionNonce",
    "file",
    "thumbnail",
    "metadata",
    "isDeleted",
    "updationTime",
    "info",
}


def test_a_memory_link_from_creation_to_deletion(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    photos = [upload(owner, album, b"photo %d " % i * 100, title=f"{i}.jpg") for i in range(3)]
    link = share_memory(owner, photos, title="A day at the sea")

    share = link.share
    assert set(share) == MEMORY_SHARE_FIELDS
    assert share["type"] == "share" and share["memoryHash"] == memory_hash(photos)
    assert TOKEN.match(share["accessToken"])
    assert share["url"] == f"{stack.settings.memories_origin}/{share['accessToken']}"
    assert share["createdAt"] == share["updatedAt"] > 0
    # The owner's other device rebuilds the full link from the listing.
    assert listed(owner) == [share]
    assert secret_of(owner, share) == link.secret

    visitor = MemoryVisitor(stack.url, link.url)
    response = visitor.get("/public-memory/info")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {"memoryShare": share}
    title = crypto.secretbox_decrypt(share["metadataCipher"], share["metadataNonce"], visitor.key)
    assert json.loads(title) == {"name": "A day at the sea"}

    items = visitor.files()
    assert [item["position"] for item in items] == [0, 1, 2]
    assert [item["file"]["id"] for item in items] == [p.id for p in photos]
    for item, photo in zip(items, photos, strict=True):
        assert set(item) == ITEM_FIELDS and set(item["file"]) == FILE_FIELDS
        remote = item["file"]
        assert remote["ownerID"] == owner.client.user_id
        assert (remote["collectionID"], remote["collectionOwnerID"]) == (0, None)
        assert (remote["encryptedKey"], remote["keyDecryptionNonce"]) == ("", "")
        assert (remote["isDeleted"], remote["updationTime"]) == (False, 0)
        assert remote["file"] == {"decryptionHeader": crypto.b64(photo.header), "size": 0}
        assert remote["thumbnail"]["decryptionHeader"] == crypto.b64(photo.thumbnail_header)
        key = visitor.file_key(item)
        assert key == photo.key
        metadata = crypto.decrypt_metadata(
            remote["metadata"]["encryptedData"], remote["metadata"]["decryptionHeader"], key
        )
        assert metadata["title"] == f"{photos.index(photo)}.jpg"
        thumbnail = visitor.fetch(photo.id, "preview")
        assert thumbnail.status_code == 200
        assert crypto.decrypt_file(key, photo.thumbnail_header, thumbnail.content) == (
            photo.thumbnail
        )
        original = visitor.fetch(photo.id)
        assert original.status_code == 200
        assert crypto.decrypt_file(key, photo.header, original.content) == photo.plaintext
    # With the header instead of the query parameter, as on Ente's own servers.
    response = visitor.get(f"/public-memory/files/download/{photos[0].id}")
    assert response.status_code == 307

    response = owner.client.delete(f"/memory-share/{link.id}")
    assert response.status_code == 200 and response.json() == {}
    assert listed(owner) == []
    assert file_rows(stack, link.id) == 0
    gone = {"error": "memory share is deleted"}
    for path in (
        "/public-memory/info",
        "/public-memory/files",
        f"/public-memory/files/preview/{photos[0].id}",
        f"/public-memory/files/download/{photos[0].id}",
    ):
        response = visitor.get(path)
        assert (response.status_code, response.json()) == (410, gone), path
    assert visitor.fetch(photos[0].id).status_code == 410
    assert owner.client.delete(f"/memory-share/{link.id}").status_code == 404
    assert owner.client.get(f"/memory-share/{link.id}").status_code == 404


def test_lanes_lists_and_one_link(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    a, b = upload(alice, album, b"first"), upload(alice, album, b"second")
    assert listed(alice) == []
    first = share_memory(alice, [a])
    lane = share_memory(alice, [b, a], type_="lane", title="Growing up")
    assert lane.share["type"] == "lane"
    # Newest first.
    assert [s["id"] for s in listed(alice)] == [lane.id, first.id]
    response = alice.client.get(f"/memory-share/{lane.id}")
    assert response.status_code == 200 and response.json() == {"memoryShare": lane.share}

    visitor = MemoryVisitor(server.url, lane.url)
    info = visitor.get("/public-memory/info").json()["memoryShare"]
    description = gzip.decompress(
        crypto.secretbox_decrypt(info["metadataCipher"], info["metadataNonce"], visitor.key)
    )
    assert json.loads(description)["kind"] == "lane"
    assert [item["file"]["id"] for item in visitor.files()] == [b.id, a.id]

    # Absent type, title and positions: a "share" in the list's order, without the fields.
    body, _ = create_body(alice, [a, b])
    for field in ("type", "metadataCipher", "metadataNonce", "memoryHash"):
        del body[field]
    for item in body["files"]:
        del item["position"]
    response = alice.client.post("/memory-share", json=body)
    assert response.status_code == 200, response.text
    bare = response.json()["memoryShare"]
    assert bare["type"] == "share"
    assert set(bare) == MEMORY_SHARE_FIELDS - {"memoryHash", "metadataCipher", "metadataNonce"}


def test_only_the_owner_reads_or_deletes_a_link(
    alice: Account, bob: Account, server: RunningServer
) -> None:
    photo = upload(alice, create_album(alice), b"alice's")
    link = share_memory(alice, [photo])
    assert listed(bob) == []
    assert bob.client.get(f"/memory-share/{link.id}").status_code == 403
    # museum answers 404 here: it does not say whether the link exists.
    assert bob.client.delete(f"/memory-share/{link.id}").status_code == 404
    assert MemoryVisitor(server.url, link.url).get("/public-memory/info").status_code == 200
    assert alice.client.get("/memory-share/999999999999").status_code == 404
    assert alice.client.delete("/memory-share/999999999999").status_code == 404


def test_bytes_and_streams_only_of_the_links_files(alice: Account, server: RunningServer) -> None:
    album = create_album(alice)
    video, silent = upload(alice, album, b"a video"), upload(alice, album, b"a photo")
    outside = upload(alice, album, b"not in the memory")
    stream, playlist = b"hls segments " * 40, b'{"type":"hls"}'
    for file in (video, outside):
        object_id = upload_preview(alice.client, file, stream)
        body = video_body(file, object_id, len(stream), playlist)
        assert alice.client.put("/files/video-data", json=body).status_code == 200
    visitor = MemoryVisitor(server.url, share_memory(alice, [video, silent]).url)

    def fetch(file_id: int, **params: str) -> httpx.Response:
        query = {"fileID": file_id, "type": "vid_preview", **params}
        return visitor.get("/public-memory/file-data", params=query)

    data = fetch(video.id, preferNoContent="true").json()["data"]
    assert crypto.decrypt_blob(data["encryptedData"], data["decryptionHeader"], video.key) == (
        playlist
    )
    query = {"fileID": video.id, "type": "vid_preview"}
    url = visitor.get("/public-memory/files/data/preview", params=query).json()["url"]
    assert http.get(url, timeout=30).content == stream
    assert fetch(silent.id, preferNoContent="true").status_code == 204
    assert fetch(silent.id).status_code == 404

    # A file of the owner's that is not in the link gives nothing, whatever the route.
    assert fetch(outside.id).status_code == 404
    query = {"fileID": outside.id, "type": "vid_preview"}
    assert visitor.get("/public-memory/files/data/preview", params=query).status_code == 404
    assert visitor.fetch(outside.id).status_code == 404
    assert visitor.fetch(outside.id, "preview").status_code == 404
