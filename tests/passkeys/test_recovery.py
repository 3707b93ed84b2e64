"""Skipping a lost passkey with the recovery key, as the clients configure and use it."""

from __future__ import annotations

import base64
import secrets

import httpx

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, srp_login
from tests.passkeys.conftest import PasskeyUser, begun_login, finish_login

NOT_CONFIGURED = {"code": "BAD_REQUEST", "message": "Passkey reset is not configured"}


def configure_recovery(account: Account) -> str:
    """What the clients do before opening the passkey settings: a random secret, stored in
    clear for the server and under the recovery key for the user."""
    keys = account.client.keys
    assert keys is not None
    secret = base64.b64encode(secrets.token_bytes(32)).decode()
    boxed = crypto.secretbox_encrypt(base64.b64decode(secret), keys.recovery_key)
    response = account.client.post(
        "/users/two-factor/passkeys/configure-recovery",
        json={
            "secret": secret,
            "userSecretCipher": boxed.encrypted_data,
            "userSecretNonce": boxed.nonce,
        },
    )
    assert (response.status_code, response.json()) == (200, {}), response.text
    return secret


def recovered_secret(server: RunningServer, account: Account, session_id: str) -> str:
    """The recover page: fetch the encrypted secret, open it with the recovery key."""
    response = EnteClient(server.url).get(
        "/users/two-factor/recover", params={"sessionID": session_id, "twoFactorType": "passkey"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"encryptedSecret", "secretDecryptionNonce"}
    keys = account.client.keys
    assert keys is not None
    opened = crypto.secretbox_decrypt(
        body["encryptedSecret"], body["secretDecryptionNonce"], keys.recovery_key
    )
    return base64.b64encode(opened).decode()


def skip(server: RunningServer, session_id: str, secret: str) -> httpx.Response:
    return EnteClient(server.url).post(
        "/users/two-factor/remove",
        json={"sessionID": session_id, "secret": secret, "twoFactorType": "passkey"},
    )


def test_recovery_configured_and_used(server: RunningServer, passkey_user: PasskeyUser) -> None:
    account = passkey_user.account
    status = account.client.get("/users/two-factor/recovery-status")
    assert status.json() == {"allowAdminReset": True, "isPasskeyRecoveryEnabled": False}
    _, response = srp_login(server.url, account.email, account.password)
    session_id = response.json()["passkeySessionID"]
    not_configured = EnteClient(server.url).get(
        "/users/two-factor/recover", params={"sessionID": session_id, "twoFactorType": "passkey"}
    )
    assert (not_configured.status_code, not_configured.json()) == (400, NOT_CONFIGURED)

    secret = configure_recovery(account)
    status = account.client.get("/users/two-factor/recovery-status")
    assert status.json() == {"allowAdminReset": True, "isPasskeyRecoveryEnabled": True}
    # Set once: a second secret changes nothing, and is not refused either.
    configure_recovery(account)

    assert recovered_secret(server, account, session_id) == secret
    assert skip(server, session_id, base64.b64encode(bytes(32)).decode()).status_code == 403
    skipped = skip(server, session_id, secret)
    assert skipped.status_code == 200, skipped.text
    client = EnteClient(server.url, keys=account.client.keys)
    client.adopt(skipped.json())
    assert client.get("/users/details/v2").status_code == 200
    # The skip spends the log-in; the passkeys stay, and the next log-in asks again.
    assert skip(server, session_id, secret).status_code == 404
    _, again = srp_login(server.url, account.email, account.password)
    next_session = again.json()["passkeySessionID"]
    assert next_session
    begun = begun_login(server, next_session)
    finished = finish_login(
        server,
        next_session,
        begun["ceremonySessionID"],
        passkey_user.passkey.assertion(begun["options"]),
    )
    assert finished.status_code == 200


def test_recovery_routes_check_their_input(
    server: RunningServer, passkey_user: PasskeyUser
) -> None:
    account = passkey_user.account
    for body in (
        {},
        {"secret": "", "userSecretCipher": "AAAA", "userSecretNonce": "AAAA"},
        {"secret": "s", "userSecretCipher": "not base64!", "userSecretNonce": "AAAA"},
    ):
        response = account.client.post("/users/two-factor/passkeys/configure-recovery", json=body)
        assert response.status_code == 400, body
    assert (
        account.client.get("/users/two-factor/recovery-status").json()["isPasskeyRecoveryEnabled"]
        is False
    )
    unknown = EnteClient(server.url).get(
        "/users/two-factor/recover", params={"sessionID": "nope", "twoFactorType": "passkey"}
    )
    assert unknown.status_code == 404
    assert skip(server, "nope", "secret").status_code == 404
    anonymous = EnteClient(server.url).post(
        "/users/two-factor/passkeys/configure-recovery",
        json={"secret": "s", "userSecretCipher": "AAAA", "userSecretNonce": "AAAA"},
    )
    assert anonymous.status_code == 401
