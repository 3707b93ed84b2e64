"""Accounts as the mobile app makes them, and logins from its other apps (Locker)."""

from __future__ import annotations

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer

MOBILE_PACKAGE = "io.ente.photos"
LOCKER_PACKAGE = "io.ente.locker"


@pytest.fixture
def account(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox, package=MOBILE_PACKAGE)


def login_with_code(
    server: RunningServer, smtp_server: SmtpServer, account: Account, *, package: str
) -> EnteClient:
    """A session of another app by email code; the account's keys open its token."""
    client = EnteClient(server.url, package=package)
    client.keys = account.client.keys
    seen = smtp_server.mailbox.count()
    sent = client.post("/users/ott", json={"email": account.email, "purpose": "login"})
    assert sent.status_code == 200, sent.text
    code = smtp_server.mailbox.code_for(account.email, after=seen)
    response = client.post("/users/verify-email", json={"email": account.email, "ott": code})
    assert response.status_code == 200, response.text
    client.adopt(response.json())
    return client
