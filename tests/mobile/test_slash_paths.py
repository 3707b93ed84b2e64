"""Paths Ente clients call with a trailing slash are answered at both forms, never redirected."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.filedata.helpers import upload_preview, video_body
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient
from tests.fixtures.library import create_album, upload
from tests.public_links.links import Visitor, share_url, token_of

# Each: the path as the client sends it; who sends it.
SLASHED = [
    "/billing/user-plans/",  # mobile plan page (photos and Auth apps)
    "/files/data/fetch/",  # mobile video playlists
    "/public-collection/files/data/fetch/",  # mobile, videos of a public album
    "/admin/user/",  # ente CLI
    "/admin/users/",  # ente CLI
    "/files/share-urls/",  # desktop
]


def same_answer(client: EnteClient | Visitor, path: str, **kwargs: Any) -> tuple[int, bytes]:
    plain = client.get(path.rstrip("/"), **kwargs)
    slashed = client.get(path, **kwargs)
    assert not slashed.is_redirect and slashed.status_code < 300, (path, slashed.status_code)
    assert (slashed.status_code, slashed.content) == (plain.status_code, plain.content), path
    return slashed.status_code, slashed.content


def test_slashed_paths_answer_directly(server: RunningServer, account: Account) -> None:
    client = account.client
    assert same_answer(client, "/billing/user-plans/")[0] == 200
    saved = server.settings.admins
    server.settings.admins = [client.user_id or 0]
    try:
        assert same_answer(client, "/admin/user/", params={"id": client.user_id})[0] == 200
        assert same_answer(client, "/admin/users/", params={"sinceTime": 0})[0] == 200
    finally:
        server.settings.admins = saved
    assert same_answer(client, "/files/share-urls/", params={"sinceTime": 0})[0] == 200


def test_video_playlists_at_both_forms(server: RunningServer, account: Account) -> None:
    album = create_album(account)
    video = upload(account, album, b"a video" * 100)
    stream = b"encrypted hls segments " * 50
    object_id = upload_preview(account.client, video, stream)
    body = video_body(video, object_id, len(stream), b'{"type":"hls"}')
    assert account.client.put("/files/video-data", json=body).status_code == 200
    params = {"fileID": video.id, "type": "vid_preview"}
    status, answer = same_answer(account.client, "/files/data/fetch/", params=params)
    assert status == 200 and set(json.loads(answer)) == {"data"}

    visitor = Visitor(server.url, token_of(share_url(account, album)["url"]))
    status, answer = same_answer(visitor, "/public-collection/files/data/fetch/", params=params)
    assert status == 200 and set(json.loads(answer)) == {"data"}


@pytest.mark.parametrize("path", SLASHED)
def test_slashed_paths_refuse_strangers_alike(server: RunningServer, path: str) -> None:
    stranger = EnteClient(server.url)
    plain, slashed = stranger.get(path.rstrip("/")), stranger.get(path)
    assert slashed.status_code in (400, 401) and not slashed.is_redirect
    assert (slashed.status_code, slashed.json()) == (plain.status_code, plain.json())


def test_twins_stay_out_of_the_description(server: RunningServer) -> None:
    paths = server.app.openapi()["paths"]
    for path in SLASHED:
        assert path.rstrip("/") in paths and path not in paths
