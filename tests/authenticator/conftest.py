from __future__ import annotations

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup, srp_login
from tests.fixtures.smtp import SmtpServer

AUTH_PACKAGE = "io.ente.auth"


@pytest.fixture
def alice(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def bob(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def auth_app(alice: Account, server: RunningServer) -> EnteClient:
    """Alice logged in to the Ente Auth app (its own session, scoped to the auth app)."""
    client, login = srp_login(server.url, alice.email, alice.password, package=AUTH_PACKAGE)
    assert login.status_code == 200, login.text
    client.adopt(login.json(), password=alice.password)
    return client
