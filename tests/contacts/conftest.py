from __future__ import annotations

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, signup
from tests.fixtures.smtp import SmtpServer


@pytest.fixture
def alice(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def bob(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def owner(stack: RunningServer, smtp_server: SmtpServer) -> Account:
    """A signed-up user on each database with each storage backend hot."""
    return signup(stack.url, smtp_server.mailbox)


@pytest.fixture
def friend(stack: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(stack.url, smtp_server.mailbox)
