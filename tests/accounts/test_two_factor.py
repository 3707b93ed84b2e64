"""TOTP two-factor: setup, enable, the extra login step, replay, recovery, disable."""

from __future__ import annotations

import base64
import time

import pyotp

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, srp_login


def enable_totp(account: Account) -> str:
    setup = account.client.post("/users/two-factor/setup")
    assert setup.status_code == 200, setup.text
    secret = setup.json()["secretCode"]
    assert len(secret) == 32
    assert base64.b64decode(setup.json()["qrCode"]).startswith(b"\x89PNG")
    keys = account.client.keys
    assert keys is not None
    nonce, box = crypto.secretbox_encrypt(secret.encode(), keys.recovery_key)
    response = account.client.post(
        "/users/two-factor/enable",
        json={
            "code": pyotp.TOTP(secret).now(),
            "encryptedTwoFactorSecret": box,
            "twoFactorSecretDecryptionNonce": nonce,
        },
    )
    assert response.status_code == 200, response.text
    return secret


def other_code(secret: str) -> str:
    """A code valid now that differs from the one used last (the next step's)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_login_with_totp(account: Account, server: RunningServer) -> None:
    secret = enable_totp(account)
    assert account.client.get("/users/two-factor/status").json() == {"status": True}
    client, response = srp_login(server.url, account.email, account.password)
    body = response.json()
    assert "encryptedToken" not in body and body["twoFactorSessionID"]
    session_id = body["twoFactorSessionID"]

    wrong = client.post(
        "/users/two-factor/verify", json={"sessionID": session_id, "code": "000000"}
    )
    assert wrong.status_code == 401
    code = other_code(secret)
    ok = client.post("/users/two-factor/verify", json={"sessionID": session_id, "code": code})
    assert ok.status_code == 200, ok.text
    assert set(ok.json()) == {"id", "keyAttributes", "encryptedToken"}
    client.adopt(ok.json(), password=account.password)
    assert client.get("/users/details/v2").json()["profileData"]["isTwoFactorEnabled"] is True

    replay = client.post("/users/two-factor/verify", json={"sessionID": session_id, "code": code})
    assert replay.status_code == 401


def test_unknown_two_factor_session_is_404(server: RunningServer) -> None:
    response = EnteClient(server.url).post(
        "/users/two-factor/verify", json={"sessionID": "nope", "code": "123456"}
    )
    assert response.status_code == 404


def test_ten_wrong_codes_lock_the_session(account: Account, server: RunningServer) -> None:
    enable_totp(account)
    _, response = srp_login(server.url, account.email, account.password)
    session_id = response.json()["twoFactorSessionID"]
    for _ in range(10):
        assert (
            EnteClient(server.url)
            .post("/users/two-factor/verify", json={"sessionID": session_id, "code": "000000"})
            .status_code
            == 401
        )
    assert (
        EnteClient(server.url)
        .post("/users/two-factor/verify", json={"sessionID": session_id, "code": "000000"})
        .status_code
        == 429
    )


def test_recover_and_remove_with_the_recovery_key(account: Account, server: RunningServer) -> None:
    enable_totp(account)
    client, response = srp_login(server.url, account.email, account.password)
    session_id = response.json()["twoFactorSessionID"]
    recover = client.get(
        "/users/two-factor/recover", params={"sessionID": session_id, "twoFactorType": "totp"}
    ).json()
    keys = account.client.keys
    assert keys is not None
    secret = crypto.secretbox_decrypt(
        recover["encryptedSecret"], recover["secretDecryptionNonce"], keys.recovery_key
    ).decode()
    bad = client.post(
        "/users/two-factor/remove",
        json={"sessionID": session_id, "secret": "WRONG" * 6, "twoFactorType": "totp"},
    )
    assert bad.status_code == 403
    removed = client.post(
        "/users/two-factor/remove",
        json={"sessionID": session_id, "secret": secret, "twoFactorType": "totp"},
    )
    assert removed.status_code == 200, removed.text
    client.adopt(removed.json(), password=account.password)
    assert client.get("/users/two-factor/status").json() == {"status": False}


def test_disable(account: Account, server: RunningServer) -> None:
    enable_totp(account)
    assert account.client.post("/users/two-factor/disable").status_code == 200
    _, response = srp_login(server.url, account.email, account.password)
    assert response.json()["twoFactorSessionID"] == ""
    assert "encryptedToken" in response.json()


def test_enable_with_wrong_code_is_401(account: Account) -> None:
    account.client.post("/users/two-factor/setup")
    response = account.client.post(
        "/users/two-factor/enable",
        json={
            "code": "000000",
            "encryptedTwoFactorSecret": "AAAA",
            "twoFactorSecretDecryptionNonce": "AAAA",
        },
    )
    assert response.status_code == 401
