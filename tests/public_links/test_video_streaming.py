"""A video's streamable preview played from a public album link, as the albums viewer does."""

from __future__ import annotations

import httpx

from tests.client import crypto
from tests.filedata.helpers import upload_preview, video_body
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.library import create_album, upload
from tests.fixtures.net import http
from tests.public_links.links import Visitor, share_url, token_of

PLAYLIST = b'{"type":"hls","playlist":"#EXTM3U"}'


def test_visitor_streams_a_video_preview(owner: Account, stack: RunningServer) -> None:
    album = create_album(owner)
    video = upload(owner, album, b"the original video")
    silent = upload(owner, album, b"a photo without data")
    private = upload(owner, create_album(owner), b"not shared")
    stream = b"encrypted hls segments " * 50
    for file in (video, private):
        object_id = upload_preview(owner.client, file, stream)
        body = video_body(file, object_id, len(stream), PLAYLIST)
        assert owner.client.put("/files/video-data", json=body).status_code == 200
    visitor = Visitor(stack.url, token_of(share_url(owner, album)["url"]))

    def fetch(file_id: int, **params: str) -> httpx.Response:
        query = {"fileID": file_id, "type": "vid_preview", **params}
        return visitor.get("/public-collection/files/data/fetch", params=query)

    data = fetch(video.id, preferNoContent="true").json()["data"]
    playlist = crypto.decrypt_blob(data["encryptedData"], data["decryptionHeader"], video.key)
    assert playlist == PLAYLIST
    params = {"fileID": video.id, "type": "vid_preview"}
    url = visitor.get("/public-collection/files/data/preview", params=params).json()["url"]
    assert http.get(url, timeout=30).content == stream

    # A video without a stream: the viewer plays the original (204 when it asks for that).
    assert fetch(silent.id, preferNoContent="true").status_code == 204
    assert fetch(silent.id).status_code == 404
    # Files outside the link's album, and visitors without the link, get nothing.
    assert fetch(private.id).status_code == 403
    outside = {"fileID": private.id, "type": "vid_preview"}
    assert visitor.get("/public-collection/files/data/preview", params=outside).status_code == 403
    anonymous = http.get(
        f"{stack.url}/public-collection/files/data/fetch",
        params={"fileID": video.id, "type": "vid_preview"},
    )
    assert anonymous.status_code == 401
    assert fetch(video.id, type="nonsense").status_code == 400
