"""Deleting files for good takes their data with them: rows at once, objects after the delay."""

from __future__ import annotations

from tests.filedata.helpers import (
    fetch_one,
    ml_body,
    status_diff,
    stored,
    upload_preview,
    video_body,
)
from tests.filedata.test_previews import remove_due_objects
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload

PLAYLIST = b"#EXTM3U"


def test_deleting_files_for_good_removes_their_data(owner: Account, stack: RunningServer) -> None:
    client = owner.client
    album = create_album(owner)
    gone, kept = upload(owner, album, b"to delete"), upload(owner, album, b"to keep")
    for file in (gone, kept):
        assert client.put("/files/data", json=ml_body(file, {"id": file.id})).status_code == 200
    stream = b"segments"
    committed = upload_preview(client, gone, stream)
    body = video_body(gone, committed, len(stream), PLAYLIST)
    assert client.put("/files/video-data", json=body).status_code == 200
    # A preview uploaded but never committed lives under the same prefix.
    abandoned = upload_preview(client, gone, b"abandoned")
    prefix = f"{client.user_id}/file-data/{gone.id}/"
    keys = [
        f"{prefix}mldata",
        f"{prefix}vid_preview/{committed}",
        f"{prefix}vid_preview/{committed}_playlist",
        f"{prefix}vid_preview/{abandoned}",
    ]
    assert all(stored(stack, k) for k in keys)
    last = max(r["updatedAt"] for r in status_diff(client) or [])

    trash = {"items": [{"fileID": gone.id, "collectionID": album.id}]}
    assert client.post("/files/trash", json=trash).status_code == 200
    # In the trash the data stays: the file may be restored.
    assert fetch_one(client, gone.id).status_code == 200
    assert client.post("/trash/delete", json={"fileIDs": [gone.id]}).status_code == 200

    # Clients learn of it from the status diff; the data is no longer served.
    changed = status_diff(client, last) or []
    assert {(r["fileID"], r["type"], r["isDeleted"]) for r in changed} == {
        (gone.id, "mldata", True),
        (gone.id, "vid_preview", True),
    }
    assert fetch_one(client, gone.id, preferNoContent="true").status_code == 204
    assert fetch_one(client, gone.id, "vid_preview").status_code == 404
    batch = client.post("/files/data/fetch", json={"fileIDs": [kept.id], "type": "mldata"}).json()
    assert [d["fileID"] for d in batch["data"]] == [kept.id]
    # Deleted data is not written again.
    rewrite = client.put("/files/data", json=ml_body(gone, {"again": True}, None))
    assert rewrite.status_code == 404

    # The bytes stay until the deletion delay has passed, then leave every backend.
    assert all(stored(stack, k) for k in keys)
    remove_due_objects(stack)
    assert not any(stored(stack, k) for k in keys)
    assert stored(stack, f"{client.user_id}/file-data/{kept.id}/mldata")
