"""The web client's sign-up and log-in, end to end, with real crypto and real mail."""

from __future__ import annotations

import base64
import uuid

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import (
    NEW_PASSWORD,
    PASSWORD,
    SHARED_KEK_SALT,
    WRONG_PASSWORD,
    Account,
    EnteClient,
    signup,
    srp_login,
    unique_email,
)
from tests.fixtures.smtp import SmtpServer

KEY_ATTRIBUTE_FIELDS = {
    "kekSalt",
    "kekHash",
    "encryptedKey",
    "keyDecryptionNonce",
    "publicKey",
    "encryptedSecretKey",
    "secretKeyDecryptionNonce",
    "memLimit",
    "opsLimit",
    "masterKeyEncryptedWithRecoveryKey",
    "masterKeyDecryptionNonce",
    "recoveryKeyEncryptedWithMasterKey",
    "recoveryKeyDecryptionNonce",
}


def test_signup_then_fresh_srp_login(server: RunningServer, smtp_server: SmtpServer) -> None:
    account = signup(server.url, smtp_server.mailbox)
    assert account.client.user_id is not None and account.client.user_id >= 1580559962386438

    client, response = srp_login(server.url, account.email, account.password)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == account.client.user_id
    assert set(body["keyAttributes"]) == KEY_ATTRIBUTE_FIELDS
    assert "token" not in body
    assert len(base64.b64decode(body["encryptedToken"])) == 80
    assert body["twoFactorSessionID"] == "" and body["passkeySessionID"] == ""

    client.adopt(body, password=account.password)
    assert client.token and client.token.endswith("=") and len(client.token) == 44
    details = client.get("/users/details/v2")
    assert details.status_code == 200, details.text
    assert details.json()["email"] == account.email
    assert details.json()["subscription"]["storage"] == server.settings.default_quota_bytes


def test_verify_email_returns_clear_token_until_keys_exist(
    server: RunningServer, smtp_server: SmtpServer
) -> None:
    email = unique_email()
    client = EnteClient(server.url)
    seen = smtp_server.mailbox.count()
    assert client.post("/users/ott", json={"email": email, "purpose": "signup"}).status_code == 200
    code = smtp_server.mailbox.code_for(email, after=seen)
    body = client.post(
        "/users/verify-email", json={"email": email.upper(), "ott": f" {code} "}
    ).json()
    assert set(body) == {
        "id",
        "token",
        "passkeySessionID",
        "accountsUrl",
        "twoFactorSessionID",
        "twoFactorSessionIDV2",
    }
    client.token = body["token"]
    assert client.get("/users/session-validity/v2").json() == {"hasSetKeys": False}


def test_email_login_after_signup_gets_encrypted_token(
    account: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    client = EnteClient(server.url)
    seen = smtp_server.mailbox.count()
    assert (
        client.post("/users/ott", json={"email": account.email, "purpose": "login"}).status_code
        == 200
    )
    code = smtp_server.mailbox.code_for(account.email, after=seen)
    body = client.post("/users/verify-email", json={"email": account.email, "ott": code}).json()
    client.adopt(body, password=account.password)
    assert client.get("/users/session-validity/v2").json()["hasSetKeys"] is True


def test_srp_attributes(account: Account, server: RunningServer) -> None:
    body = (
        EnteClient(server.url).get("/users/srp/attributes", params={"email": account.email}).json()
    )
    assert body["attributes"]["srpUserID"] == account.srp_user_id
    assert body["attributes"]["kekSalt"] == account.key_attributes["kekSalt"]
    assert body["attributes"]["isEmailMFAEnabled"] is False


def test_unknown_email_srp_attributes_404(server: RunningServer) -> None:
    response = EnteClient(server.url).get("/users/srp/attributes", params={"email": unique_email()})
    assert response.status_code == 404


def test_wrong_password_and_unknown_user_look_the_same(
    account: Account, server: RunningServer
) -> None:
    _, wrong = srp_login(server.url, account.email, WRONG_PASSWORD)
    assert wrong.status_code == 401

    client = EnteClient(server.url)
    from tests.client.srp import SrpClient

    srp = SrpClient(str(uuid.uuid4()), b"0" * 16, b"1" * 16)
    session = client.post(
        "/users/srp/create-session",
        json={"srpUserID": str(uuid.uuid4()), "srpA": base64.b64encode(srp.public_a).decode()},
    )
    assert session.status_code == 200
    assert len(base64.b64decode(session.json()["srpB"])) == 512


def test_replayed_srp_session_is_refused(account: Account, server: RunningServer) -> None:
    client, response = srp_login(server.url, account.email, account.password)
    assert response.status_code == 200
    # The same proof again on the same session.
    request = response.request
    replay = client.http.post("/users/srp/verify-session", content=request.content)
    assert replay.status_code == 410
    assert replay.json()["code"] == "SESSION_ALREADY_VERIFIED"


def test_key_attributes_are_set_once_and_checked(account: Account) -> None:
    response = account.client.put(
        "/users/attributes", json={"keyAttributes": account.key_attributes}
    )
    assert response.status_code == 403


def test_weak_kdf_is_refused(server: RunningServer, smtp_server: SmtpServer) -> None:
    email = unique_email()
    client = EnteClient(server.url)
    seen = smtp_server.mailbox.count()
    client.post("/users/ott", json={"email": email, "purpose": "signup"})
    client.adopt(
        client.post(
            "/users/verify-email",
            json={"email": email, "ott": smtp_server.mailbox.code_for(email, after=seen)},
        ).json()
    )
    attributes, _ = crypto.generate_key_attributes(PASSWORD, kek_salt=SHARED_KEK_SALT)
    weak = {**attributes, "memLimit": 64 * 1024 * 1024, "opsLimit": 64}
    response = client.put("/users/attributes", json={"keyAttributes": weak})
    assert response.status_code == 400
    assert response.json()["message"] == "memory limit must be at least 128MB"
    odd = {**attributes, "opsLimit": attributes["opsLimit"] + 1}
    assert client.put("/users/attributes", json={"keyAttributes": odd}).json()["message"] == (
        "Unexpected KDF strength"
    )


def test_public_key_lookup(
    account: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    other = signup(server.url, smtp_server.mailbox)
    response = account.client.get("/users/public-key", params={"email": other.email})
    assert response.json() == {"publicKey": other.key_attributes["publicKey"]}
    assert (
        account.client.get("/users/public-key", params={"email": unique_email()}).status_code == 404
    )


def test_password_change_logs_out_other_devices(account: Account, server: RunningServer) -> None:
    other_device, response = srp_login(server.url, account.email, account.password)
    other_device.adopt(response.json(), password=account.password)
    keys = account.client.keys
    assert keys is not None
    new_password = NEW_PASSWORD
    new_attrs = crypto.rewrap_master_key(keys, new_password, kek_salt=SHARED_KEK_SALT)
    new_kek = crypto.derive_kek(
        new_password,
        base64.b64decode(new_attrs["kekSalt"]),
        new_attrs["opsLimit"],
        new_attrs["memLimit"],
    )
    from tests.fixtures.ente import srp_setup

    setup, _ = srp_setup(account.client, password=new_password, kek=new_kek)
    response = account.client.post(
        "/users/srp/update",
        json={"setupID": setup["setupID"], "srpM1": setup["srpM1"], "updatedKeyAttr": new_attrs},
    )
    assert response.status_code == 200, response.text
    assert other_device.get("/users/details/v2").status_code == 401
    assert account.client.get("/users/details/v2").status_code == 200
    _, old = srp_login(server.url, account.email, account.password)
    assert old.status_code == 401
    client, fresh = srp_login(server.url, account.email, new_password)
    assert fresh.status_code == 200
    client.adopt(fresh.json(), password=new_password)
    assert client.get("/users/details/v2").status_code == 200
