"""X-Forwarded-For is the client's address when a configured proxy sends it, and a claim of
the client's own otherwise: the login limits per address count by the address believed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from photo_api.cli.serving import uvicorn_options
from photo_api.config import read_settings
from photo_api.login import ott
from tests.fixtures.app_server import RunningServer, start_server
from tests.fixtures.databases import DATABASES, database_url
from tests.fixtures.ente import EnteClient, random_ip, signup
from tests.fixtures.smtp import SmtpServer

PROXY = "127.0.0.1"
# Another address of this machine: a client that reaches the server without the proxy.
ELSEWHERE = "127.0.0.2"


@pytest.fixture(params=DATABASES)
def proxied(
    request: pytest.FixtureRequest, tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[RunningServer]:
    server = start_server(
        database_url=database_url(request.param, request, tmp_path),
        data_dir=tmp_path,
        s3=None,
        smtp=smtp_server,
        forwarded_allow_ips=PROXY,
    )
    yield server
    server.stop()


def from_elsewhere(client: EnteClient) -> EnteClient:
    """The same device, its requests sent from ELSEWHERE rather than through the proxy."""
    client.http = httpx.Client(
        base_url=client.base_url,
        headers=client.http.headers,
        timeout=30,
        transport=httpx.HTTPTransport(local_address=ELSEWHERE),
    )
    return client


def session_ips(client: EnteClient) -> dict[int, str]:
    sessions = client.get("/users/sessions").json()["sessions"]
    return {session["id"]: session["ip"] for session in sessions}


def test_forwarded_address_is_believed_from_the_proxy_only(
    proxied: RunningServer, smtp_server: SmtpServer
) -> None:
    mailbox = smtp_server.mailbox
    account = signup(proxied.url, mailbox)
    assert list(session_ips(account.client).values()) == [account.client.ip]

    device = from_elsewhere(EnteClient(proxied.url))
    login = {"email": account.email, "purpose": "login"}
    seen = mailbox.count()
    assert device.post("/users/ott", json=login).status_code == 200
    verified = device.post(
        "/users/verify-email",
        json={"email": account.email, "ott": mailbox.code_for(account.email, after=seen)},
    )
    assert verified.status_code == 200, verified.text
    device.adopt(verified.json(), password=account.password)
    assert session_ips(account.client)[max(session_ips(account.client))] == ELSEWHERE

    # Claiming a new address each time does not give a new budget of codes.
    for _ in range(ott.MAX_SENT - 1):
        spoofed = {"X-Forwarded-For": random_ip()}
        assert device.post("/users/ott", json=login, headers=spoofed).status_code == 200
    refused = device.post("/users/ott", json=login, headers={"X-Forwarded-For": random_ip()})
    assert refused.status_code == 429, refused.text
    # Through the proxy, each client address has its own.
    assert EnteClient(proxied.url).post("/users/ott", json=login).status_code == 200


def test_the_setting_reaches_uvicorn(tmp_path: Path) -> None:
    default = read_settings(environ={}, data_dir=tmp_path)
    assert uvicorn_options(default)["forwarded_allow_ips"] == ["127.0.0.1", "::1"]
    for given, believed in (("*", ["*"]), ("10.0.0.0/8, ::1", ["10.0.0.0/8", "::1"])):
        settings = read_settings(environ={"PHOTO_API_FORWARDED_ALLOW_IPS": given})
        options = uvicorn_options(settings)
        assert options["forwarded_allow_ips"] == believed and options["proxy_headers"]
