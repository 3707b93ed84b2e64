"""The seed's POST /users/login: off by default; Argon2id-hashed password when on."""

from __future__ import annotations

import pyotp

from tests.accounts.test_two_factor import enable_totp, other_code
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient

PASSWORD = "a server-side password"


def login(server: RunningServer, email: str, password: str, **extra: str):
    return EnteClient(server.url).post(
        "/users/login", json={"email": email, "password": password, **extra}
    )


def test_disabled_by_default(account: Account, server: RunningServer) -> None:
    assert login(server, account.email, PASSWORD).status_code == 404


def test_password_login(account: Account, server: RunningServer) -> None:
    server.settings.password_login = True
    try:
        assert account.client.put("/users/password", json={"password": "short"}).status_code == 400
        assert account.client.put("/users/password", json={"password": PASSWORD}).status_code == 200
        assert login(server, account.email, "wrong password!!").status_code == 401
        assert login(server, "nobody@example.org", PASSWORD).status_code == 401
        response = login(server, account.email, PASSWORD)
        assert response.status_code == 200, response.text
        client = EnteClient(server.url, token=response.json()["authToken"])
        assert client.get("/users/details/v2").status_code == 200

        secret = enable_totp(account)
        assert login(server, account.email, PASSWORD).status_code == 401
        assert (
            login(server, account.email, PASSWORD, totpCode=other_code(secret)).status_code == 200
        )
        assert pyotp.TOTP(secret)
    finally:
        server.settings.password_login = False
