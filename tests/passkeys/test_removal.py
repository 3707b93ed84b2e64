"""Passkeys removed by an admin, with the account, and their ceremonies by the expiry job;
and the password login, which cannot ask for a passkey."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from photo_api.auth.tokens import token_hash
from photo_api.db.session import Database
from photo_api.jobs import expiry
from photo_api.models import Passkey, PasskeyLoginSession, WebauthnCeremony
from tests.accounts.test_two_factor import enable_totp, other_code
from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.cli import run_cli
from tests.fixtures.ente import Account, EnteClient, srp_login
from tests.passkeys.conftest import (
    PasskeyUser,
    accounts_app,
    begin_login,
    begun_login,
    move_back_in_time,
    register,
)


def count(server: RunningServer, model: type, **where: object) -> int:
    db: Database = server.app.state.db
    conditions = [getattr(model, key) == value for key, value in where.items()]
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def asks_for_passkey(server: RunningServer, account: Account) -> bool:
    _, response = srp_login(server.url, account.email, account.password)
    assert response.status_code == 200, response.text
    return bool(response.json()["passkeySessionID"])


def test_admin_disables_passkeys(
    server: RunningServer, admin: Account, passkey_user: PasskeyUser
) -> None:
    account = passkey_user.account
    body = {"userID": account.client.user_id}
    refused = account.client.post("/admin/user/disable-passkeys", json=body)
    assert (refused.status_code, refused.json()) == (401, {"error": "insufficient permissions"})
    assert asks_for_passkey(server, account)

    done = admin.client.post("/admin/user/disable-passkeys", json=body)
    assert (done.status_code, done.json()) == (200, {})
    assert not asks_for_passkey(server, account)
    assert accounts_app(server, account).get("/passkeys").json()["passkeys"] == []

    unknown = admin.client.post("/admin/user/disable-passkeys", json={"userID": 1})
    assert unknown.status_code == 404
    assert admin.client.post("/admin/user/disable-passkeys", json={}).status_code == 400


def test_cli_disables_passkeys(
    server: RunningServer, passkey_user: PasskeyUser, tmp_path: Path
) -> None:
    config = tmp_path / "photo-api.yaml"
    config.write_text(
        json.dumps(
            {
                "database_url": server.settings.database_url,
                "data_dir": str(server.settings.data_dir),
                "log_level": "WARNING",
            }
        )
    )
    account = passkey_user.account
    run = run_cli("--config", str(config), "admin", "disable-passkeys", account.email)
    assert run.returncode == 0, run.stderr
    assert "1 passkey(s) removed" in run.stdout
    assert not asks_for_passkey(server, account)


def test_account_deletion_removes_passkeys(
    server: RunningServer, passkey_user: PasskeyUser
) -> None:
    account = passkey_user.account
    user_id = account.client.user_id
    _, response = srp_login(server.url, account.email, account.password)
    begun_login(server, response.json()["passkeySessionID"])
    keys = account.client.keys
    assert keys is not None
    challenge = account.client.get("/users/delete-challenge").json()["encryptedChallenge"]
    jwt_text = crypto.open_sealed(challenge, keys.public_key, keys.secret_key).decode()
    deleted = account.client.request("DELETE", "/users/delete", json={"challenge": jwt_text})
    assert deleted.status_code == 200, deleted.text
    for model in (Passkey, PasskeyLoginSession, WebauthnCeremony):
        assert count(server, model, user_id=user_id) == 0, model


def test_expiry_job_forgets_old_ceremonies(
    server: RunningServer, passkey_user: PasskeyUser
) -> None:
    account = passkey_user.account
    _, response = srp_login(server.url, account.email, account.password)
    session_id = response.json()["passkeySessionID"]
    begun = begun_login(server, session_id)
    registration = accounts_app(server, account).post("/passkeys/registration/begin").json()
    fresh = begun_login(server, session_id)
    for ceremony in (begun["ceremonySessionID"], registration["sessionID"]):
        move_back_in_time(server, WebauthnCeremony, 5 * 60, id=ceremony)

    removed = expiry.run(server.app.state.db)
    assert removed["webauthn_ceremonies"] >= 2
    assert count(server, WebauthnCeremony, id=begun["ceremonySessionID"]) == 0
    assert count(server, WebauthnCeremony, id=registration["sessionID"]) == 0
    assert count(server, WebauthnCeremony, id=fresh["ceremonySessionID"]) == 1

    move_back_in_time(server, PasskeyLoginSession, 10 * 60, session_hash=token_hash(session_id))
    assert expiry.run(server.app.state.db)["passkey_logins"] >= 1
    assert count(server, PasskeyLoginSession, session_hash=token_hash(session_id)) == 0
    # Its remaining ceremony went with it.
    assert count(server, WebauthnCeremony, id=fresh["ceremonySessionID"]) == 0
    assert begin_login(server, session_id).status_code == 404


def test_password_login_cannot_skip_the_passkey(server: RunningServer, account: Account) -> None:
    password = "a server-side password"
    server.settings.password_login = True
    try:
        assert account.client.put("/users/password", json={"password": password}).status_code == 200
        register(accounts_app(server, account))
        login = {"email": account.email, "password": password}
        refused = EnteClient(server.url).post("/users/login", json=login)
        assert (refused.status_code, refused.json()["code"]) == (401, "PASSKEY_REQUIRED")
        # The clients offer TOTP instead of the passkey when both are set up; so does this.
        secret = enable_totp(account)
        ok = EnteClient(server.url).post(
            "/users/login", json={**login, "totpCode": other_code(secret)}
        )
        assert ok.status_code == 200, ok.text
    finally:
        server.settings.password_login = False
