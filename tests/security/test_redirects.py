"""No redirect is built from what the request says about the server.

Behind a TLS proxy whose headers are not trusted, a Location made from the request's scheme
and host would send the client, its X-Auth-Token with it, to http://. So the paths clients
call with a trailing slash answer directly, any other slashed path is a plain 404, and the
download redirects point at the URLs the settings give (public_url, the S3 endpoint).
"""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.library import create_album, upload
from tests.fixtures.smtp import SmtpServer

# What a request may claim, from a proxy that is trusted (the test client is on loopback).
SPOOFED = {"Host": "photos.attacker.example", "X-Forwarded-Proto": "http"}
# Called with a trailing slash by the Ente mobile app (the first three) and the `ente` CLI.
SLASHED = [
    ("/billing/user-plans/", {}),
    ("/files/data/fetch/", {"fileID": 1, "type": "vid_preview"}),
    ("/public-collection/files/data/fetch/", {"fileID": 1, "type": "vid_preview"}),
    ("/admin/user/", {"id": 1}),
    ("/admin/users/", {"sinceTime": 0}),
]


def test_paths_called_with_a_slash_answer_without_a_redirect(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    account = signup(server.url, smtp_server.mailbox)
    plans = account.client.get("/billing/user-plans/", headers=SPOOFED)
    assert plans.status_code == 200, plans.text
    assert plans.json() == account.client.get("/billing/user-plans").json()
    for path, params in SLASHED:
        slashed = account.client.get(path, params=params, headers=SPOOFED)
        bare = account.client.get(path.rstrip("/"), params=params)
        assert slashed.status_code == bare.status_code, (path, slashed.text)
        assert slashed.status_code < 300 or slashed.status_code >= 400, path
        assert "location" not in slashed.headers, path
        assert slashed.json() == bare.json(), path


def test_any_other_slashed_path_is_a_json_404(server: RunningServer) -> None:
    for method, path in (("GET", "/ping/"), ("POST", "/files/info/"), ("GET", "/users/sessions/")):
        response = server.client.request(method, path, headers=SPOOFED, json={})
        assert response.status_code == 404, (path, response.status_code)
        assert "location" not in response.headers
        assert response.json()["code"] == "NOT_FOUND"
        assert server.client.request(method, path.rstrip("/"), json={}).status_code != 404


def test_downloads_redirect_to_the_configured_storage_urls(
    stack: RunningServer, smtp_server: SmtpServer
) -> None:
    owner = signup(stack.url, smtp_server.mailbox)
    photo = upload(owner, create_album(owner), b"redirected")
    backend = stack.settings.storage.backends[stack.hot]
    base = getattr(backend, "endpoint_url", None) or stack.settings.base_url
    for kind in ("download", "preview"):
        response = owner.client.get(
            f"/files/{kind}/{photo.id}", params={"token": owner.client.token}, headers=SPOOFED
        )
        assert response.status_code == 307, response.text
        location = response.headers["location"]
        assert location.startswith(f"{base}/"), location
        assert "attacker" not in location
