"""Passkeys through real HTTP: the accounts app played by a software authenticator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from photo_api.clock import MICROS_PER_SECOND
from photo_api.db.session import Database

# The admin fixtures of tests/admin (servers are shared, so "the first user" is not ours).
from tests.admin.conftest import admin, admin_account  # noqa: F401
from tests.client.authenticator import Authenticator, raw_json
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import WEB_PACKAGE, Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer

# The accounts app's own package; its log-in finish sends the requesting app's instead.
ACCOUNTS_PACKAGE = "io.ente.accounts.web"
INVALID_SIGNATURE = {"code": "BAD_REQUEST", "message": "Invalid signature"}


@dataclass
class PasskeyUser:
    account: Account
    passkey: Authenticator


@pytest.fixture
def account(server: RunningServer, smtp_server: SmtpServer) -> Account:
    return signup(server.url, smtp_server.mailbox)


@pytest.fixture
def passkey_user(server: RunningServer, account: Account) -> PasskeyUser:
    return PasskeyUser(account, register(accounts_app(server, account)))


def accounts_app(server: RunningServer, account: Account) -> EnteClient:
    """The accounts app, opened with the JWT that GET /users/accounts-token hands out."""
    response = account.client.get("/users/accounts-token")
    assert response.status_code == 200, response.text
    return EnteClient(server.url, package=ACCOUNTS_PACKAGE, token=response.json()["accountsToken"])


def begin_registration(accounts: EnteClient) -> dict[str, Any]:
    response = accounts.post("/passkeys/registration/begin")
    assert response.status_code == 200, response.text
    return dict(response.json())


def finish_registration(
    accounts: EnteClient, begun: dict[str, Any], body: dict[str, Any], *, name: str = "MacBook"
) -> httpx.Response:
    return accounts.post(
        "/passkeys/registration/finish",
        params={"friendlyName": name, "sessionID": begun["sessionID"]},
        content=raw_json(body),
    )


def register(
    accounts: EnteClient, passkey: Authenticator | None = None, *, name: str = "MacBook"
) -> Authenticator:
    passkey = passkey or Authenticator()
    begun = begin_registration(accounts)
    response = finish_registration(accounts, begun, passkey.register(begun["options"]), name=name)
    assert (response.status_code, response.json()) == (200, {}), response.text
    return passkey


def email_login(
    server: RunningServer, smtp_server: SmtpServer, account: Account, *, package: str = WEB_PACKAGE
) -> httpx.Response:
    """POST /users/ott and /users/verify-email as a fresh device of the account."""
    client = EnteClient(server.url, package=package)
    seen = smtp_server.mailbox.count()
    sent = client.post("/users/ott", json={"email": account.email, "purpose": "login"})
    assert sent.status_code == 200, sent.text
    code = smtp_server.mailbox.code_for(account.email, after=seen)
    response = client.post("/users/verify-email", json={"email": account.email, "ott": code})
    assert response.status_code == 200, response.text
    return response


def begin_login(server: RunningServer, passkey_session_id: str) -> httpx.Response:
    """The accounts app's verify page starting a ceremony (each call from a new address, so
    that the per-address limits do not get in the way of many attempts)."""
    client = EnteClient(server.url, package=ACCOUNTS_PACKAGE)
    return client.post(
        "/users/two-factor/passkeys/begin", content=raw_json({"sessionID": passkey_session_id})
    )


def begun_login(server: RunningServer, passkey_session_id: str) -> dict[str, Any]:
    response = begin_login(server, passkey_session_id)
    assert response.status_code == 200, response.text
    return dict(response.json())


def finish_login(
    server: RunningServer,
    passkey_session_id: str,
    ceremony_id: str,
    body: dict[str, Any] | bytes,
    *,
    package: str = WEB_PACKAGE,
) -> httpx.Response:
    """The accounts app's finish: it sends the package of the app that asked for the log-in."""
    client = EnteClient(server.url, package=package)
    return client.post(
        "/users/two-factor/passkeys/finish",
        params={
            "sessionID": passkey_session_id,
            "ceremonySessionID": ceremony_id,
            "clientPackage": package,
        },
        content=body if isinstance(body, bytes) else raw_json(body),
    )


def get_token(server: RunningServer, passkey_session_id: str) -> httpx.Response:
    return EnteClient(server.url).get(
        "/users/two-factor/passkeys/get-token", params={"sessionID": passkey_session_id}
    )


def move_back_in_time(server: RunningServer, model: Any, seconds: int, **where: Any) -> None:
    """Pretend a row's times are `seconds` older (expiry is checked when a row is used)."""
    db: Database = server.app.state.db
    shift = seconds * MICROS_PER_SECOND
    values = {
        name: getattr(model, name) - shift
        for name in ("created_at", "expires_at")
        if hasattr(model, name)
    }
    conditions = [getattr(model, key) == value for key, value in where.items()]
    with db.session() as session:
        session.execute(update(model).where(*conditions).values(**values))
        session.commit()
