"""Video previews: upload URLs, committing stream and playlist, playback URLs, replacement."""

from __future__ import annotations

import re

from photo_api.clock import now_us
from photo_api.jobs import object_cleanup
from tests.client import crypto
from tests.filedata.helpers import (
    decrypt,
    fetch_one,
    ml_body,
    status_diff,
    stored,
    upload_preview,
    video_body,
)
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import Uploaded, create_album, upload
from tests.fixtures.net import http
from tests.sharing.test_sharing import share

PLAYLIST = b'{"type":"hls","playlist":"#EXTM3U"}'


def remove_due_objects(stack: RunningServer) -> None:
    delay = stack.settings.object_deletion_delay_seconds * 1_000_000
    object_cleanup.run(stack.app.state.db, stack.app.state.stores, now=now_us() + delay + 1)


def test_video_preview_round_trip(owner: Account, stranger: Account, stack: RunningServer) -> None:
    client = owner.client
    album = create_album(owner)
    video = upload(owner, album, b"a video")
    stream = b"encrypted hls segments " * 100
    object_id = upload_preview(client, video, stream)
    assert re.fullmatch(r"pv_[0-9A-Za-z]{22}", object_id)
    prefix = f"{client.user_id}/file-data/{video.id}/vid_preview/{object_id}"
    assert stored(stack, prefix)

    # The committed size must be the uploaded one, and the object one that was issued.
    body = video_body(video, object_id, len(stream), PLAYLIST)
    wrong_size = client.put("/files/video-data", json={**body, "objectSize": len(stream) + 1})
    assert wrong_size.status_code == 400
    unissued = client.put("/files/video-data", json={**body, "objectID": "pv_" + "A" * 22})
    assert unissued.status_code == 400
    for bad_id in ("../../mldata", "pi_" + "A" * 22, "pv_short"):
        assert client.put("/files/video-data", json={**body, "objectID": bad_id}).status_code == 400
    committed = client.put("/files/video-data", json=body)
    assert committed.status_code == 200, committed.text
    assert committed.json() == {}
    assert stored(stack, f"{prefix}_playlist")

    (row,) = status_diff(client) or []
    assert row["type"] == "vid_preview" and row["objectID"] == object_id
    assert row["objectNonce"] is None and row["size"] > len(stream)
    fetched = fetch_one(client, video.id, "vid_preview", preferNoContent="true")
    assert fetched.status_code == 200
    assert decrypt_playlist(video, fetched.json()["data"]) == PLAYLIST
    url = client.get("/files/data/preview", params={"fileID": video.id, "type": "vid_preview"})
    assert url.status_code == 200 and set(url.json()) == {"url"}
    assert http.get(url.json()["url"], timeout=30).content == stream

    # Sharees may watch it; strangers may not; only the owner uploads.
    params = {"fileID": video.id, "type": "vid_preview"}
    assert stranger.client.get("/files/data/preview", params=params).status_code == 403
    assert stranger.client.get("/files/data/preview-upload-url", params=params).status_code == 403
    assert stranger.client.put("/files/video-data", json=body).status_code == 403
    share(owner, album, stranger, "VIEWER")
    assert stranger.client.get("/files/data/preview", params=params).status_code == 200
    assert stranger.client.get("/files/data/preview-upload-url", params=params).status_code == 403

    # A new preview replaces the old one, whose objects are removed after the delay.
    newer = b"better segments"
    second = upload_preview(client, video, newer)
    assert (
        client.put(
            "/files/video-data", json=video_body(video, second, len(newer), PLAYLIST)
        ).status_code
        == 200
    )
    assert stored(stack, prefix) and stored(stack, f"{prefix}_playlist")
    remove_due_objects(stack)
    assert not stored(stack, prefix) and not stored(stack, f"{prefix}_playlist")
    url = client.get("/files/data/preview", params=params).json()["url"]
    assert http.get(url, timeout=30).content == newer
    (latest,) = status_diff(client, row["updatedAt"]) or []
    assert latest["objectID"] == second


def decrypt_playlist(video: Uploaded, data: dict) -> bytes:
    return crypto.decrypt_blob(data["encryptedData"], data["decryptionHeader"], video.key)


def test_multipart_preview_upload(owner: Account, stack: RunningServer) -> None:
    client = owner.client
    album = create_album(owner)
    video = upload(owner, album, b"long video")
    params = {"fileID": video.id, "type": "vid_preview", "isMultiPart": "true"}
    for count in (None, 0, 10_001, -1):
        query = params if count is None else {**params, "count": count}
        response = client.get("/files/data/preview-upload-url", params=query)
        assert response.status_code == 400, count
        assert response.json()["code"] == "BAD_REQUEST"
    response = client.get("/files/data/preview-upload-url", params={**params, "count": 1})
    assert response.status_code == 200, response.text
    target = response.json()
    assert set(target) == {"objectID", "partURLs", "completeURL"}
    assert len(target["partURLs"]) == 1
    part = b"the only part"
    put = http.put(target["partURLs"][0], content=part, timeout=60)
    assert put.status_code == 200, put.text
    xml = (
        "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
        f"<ETag>{put.headers['etag']}</ETag></Part></CompleteMultipartUpload>"
    )
    done = http.post(target["completeURL"], content=xml.encode(), timeout=60)
    assert done.status_code == 200, done.text
    body = video_body(video, target["objectID"], len(part), PLAYLIST)
    assert client.put("/files/video-data", json=body).status_code == 200
    fetched = fetch_one(client, video.id, "vid_preview").json()["data"]
    assert decrypt_playlist(video, fetched) == PLAYLIST
    # Image previews get upload URLs too ("pi_" ids), though nothing commits them yet.
    image = client.get(
        "/files/data/preview-upload-url", params={"fileID": video.id, "type": "img_preview"}
    )
    assert image.status_code == 200 and image.json()["objectID"].startswith("pi_")
    missing = client.get("/files/data/preview", params={"fileID": video.id, "type": "img_preview"})
    assert missing.status_code == 404


def test_previews_need_a_live_owned_file(owner: Account) -> None:
    client = owner.client
    album = create_album(owner)
    video = upload(owner, album, b"soon trashed")
    params = {"fileID": video.id, "type": "vid_preview"}
    for bad in ({"fileID": video.id, "type": "mldata"}, {"type": "vid_preview"}, {"fileID": 0}):
        assert client.get("/files/data/preview-upload-url", params=bad).status_code == 400
    assert client.get("/files/data/preview-upload-url", params=params).status_code == 200
    trashed = client.post(
        "/files/trash", json={"items": [{"fileID": video.id, "collectionID": album.id}]}
    )
    assert trashed.status_code == 200
    # museum: previews only for files in some album.
    assert client.get("/files/data/preview-upload-url", params=params).status_code == 404
    missing = {**params, "fileID": 2**62}
    assert client.get("/files/data/preview-upload-url", params=missing).status_code == 404
    for body in ({}, [], {"fileID": video.id}, {"fileID": video.id, "objectID": "pv_x"}):
        response = client.put("/files/video-data", json=body)
        assert response.status_code == 400, body
        assert response.json()["code"] == "BAD_REQUEST"


def test_ml_data_and_previews_are_independent(owner: Account) -> None:
    """One file can have both; the status diff lists each type once."""
    client = owner.client
    album = create_album(owner)
    video = upload(owner, album, b"indexed video")
    assert client.put("/files/data", json=ml_body(video, {"clip": [0.1]})).status_code == 200
    stream = b"segments"
    object_id = upload_preview(client, video, stream)
    assert (
        client.put(
            "/files/video-data", json=video_body(video, object_id, len(stream), PLAYLIST)
        ).status_code
        == 200
    )
    rows = status_diff(client) or []
    assert sorted(r["type"] for r in rows) == ["mldata", "vid_preview"]
    assert decrypt(video, fetch_one(client, video.id).json()["data"]) == {"clip": [0.1]}
