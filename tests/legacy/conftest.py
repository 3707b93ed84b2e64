from __future__ import annotations

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.smtp import SmtpServer


@pytest.fixture
def owner(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def contact(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def stranger(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)
