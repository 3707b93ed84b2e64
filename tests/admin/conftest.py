"""An explicit admin: test servers are shared, so "the first user" is whoever came first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import update

from photo_api.auth.tokens import token_hash
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.db.session import Database
from photo_api.models import Token
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer


@pytest.fixture(scope="session")
def admin_account(server: RunningServer, smtp_server: SmtpServer) -> Account:
    """One account per server for the admin; each test logs it in afresh (see `admin`)."""
    return signup(server.url, smtp_server.mailbox)


def email_login(server: RunningServer, smtp_server: SmtpServer, account: Account) -> EnteClient:
    """A new session by email code; the account's keys open the token, so no Argon2 again."""
    client = EnteClient(server.url)
    client.keys = account.client.keys
    seen = smtp_server.mailbox.count()
    sent = client.post("/users/ott", json={"email": account.email, "purpose": "login"})
    assert sent.status_code == 200, sent.text
    code = smtp_server.mailbox.code_for(account.email, after=seen)
    response = client.post("/users/verify-email", json={"email": account.email, "ott": code})
    assert response.status_code == 200, response.text
    client.adopt(response.json())
    return client


@pytest.fixture
def admin(
    server: RunningServer, smtp_server: SmtpServer, admin_account: Account
) -> Iterator[Account]:
    """The server's only admin for the duration of the test, with a token minted just now."""
    account = replace(admin_account, client=email_login(server, smtp_server, admin_account))
    assert account.client.user_id is not None
    saved = server.settings.admins
    server.settings.admins = [account.client.user_id]
    try:
        yield account
    finally:
        server.settings.admins = saved


@pytest.fixture
def account(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


def age_token(server: RunningServer, token: str, *, seconds: int) -> None:
    """Pretend the session was created `seconds` ago (the fresh-token rule looks at that)."""
    db: Database = server.app.state.db
    with db.session() as session:
        session.execute(
            update(Token)
            .where(Token.token_hash == token_hash(token))
            .values(created_at=now_us() - seconds * MICROS_PER_SECOND)
        )
        session.commit()
