"""Log-in with a passkey: SRP or email code, then an assertion through the accounts app."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from photo_api.auth.tokens import token_hash
from photo_api.models import PasskeyLoginSession, WebauthnCeremony
from tests.accounts.test_two_factor import enable_totp, other_code
from tests.client.authenticator import Authenticator
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup, srp_login
from tests.fixtures.smtp import SmtpServer
from tests.passkeys.conftest import (
    INVALID_SIGNATURE,
    PasskeyUser,
    accounts_app,
    begin_login,
    begun_login,
    email_login,
    finish_login,
    get_token,
    move_back_in_time,
    register,
)

AUTH_PACKAGE = "io.ente.auth.web"


def passkey_session(server: RunningServer, user: PasskeyUser) -> tuple[EnteClient, str]:
    """An SRP log-in that stops at the passkey step: the client and its passkeySessionID."""
    client, response = srp_login(server.url, user.account.email, user.account.password)
    assert response.status_code == 200, response.text
    return client, response.json()["passkeySessionID"]


def test_srp_login_asks_for_the_passkey(server: RunningServer, passkey_user: PasskeyUser) -> None:
    account = passkey_user.account
    client, response = srp_login(server.url, account.email, account.password)
    body = response.json()
    assert "encryptedToken" not in body and "keyAttributes" not in body
    assert body["accountsUrl"] == "https://accounts.ente.com"
    assert body["twoFactorSessionID"] == body["twoFactorSessionIDV2"] == ""
    session_id = body["passkeySessionID"]
    assert len(session_id) == 44 and len(base64.urlsafe_b64decode(session_id)) == 32

    pending = get_token(server, session_id)
    assert (pending.status_code, pending.json()["code"]) == (400, "SESSION_NOT_VERIFIED")

    begun = begun_login(server, session_id)
    options = begun["options"]["publicKey"]
    assert options["rpId"] == "accounts.ente.com" and options["timeout"] == 120000
    assert options["allowCredentials"] == [
        {"type": "public-key", "id": passkey_user.passkey.id, "transports": ["internal", "hybrid"]}
    ]
    assertion = passkey_user.passkey.assertion(begun["options"])
    finished = finish_login(server, session_id, begun["ceremonySessionID"], assertion)
    assert finished.status_code == 200, finished.text
    assert set(finished.json()) == {"id", "keyAttributes", "encryptedToken"}
    client.adopt(finished.json(), password=passkey_user.account.password)
    assert client.get("/users/details/v2").status_code == 200

    # The fallback when the redirect back to the app is lost: the same answer, twice.
    for _ in range(2):
        fetched = get_token(server, session_id)
        assert fetched.status_code == 200 and fetched.json() == finished.json()
    third = get_token(server, session_id)
    assert (third.status_code, third.json()["code"]) == (410, "INVALID_SESSION")

    claimed = begin_login(server, session_id)
    assert (claimed.status_code, claimed.json()["code"]) == (409, "SESSION_ALREADY_CLAIMED")
    replay = finish_login(server, session_id, begun["ceremonySessionID"], assertion)
    assert replay.status_code == 404


def test_email_login_for_another_app(
    server: RunningServer, smtp_server: SmtpServer, passkey_user: PasskeyUser
) -> None:
    response = email_login(server, smtp_server, passkey_user.account, package=AUTH_PACKAGE)
    session_id = response.json()["passkeySessionID"]
    assert session_id and "encryptedToken" not in response.json()
    begun = begun_login(server, session_id)
    finished = finish_login(
        server,
        session_id,
        begun["ceremonySessionID"],
        passkey_user.passkey.assertion(begun["options"]),
        package=AUTH_PACKAGE,
    )
    assert finished.status_code == 200, finished.text
    # The token is for the app that asked (its package came with finish), not the accounts app.
    auth_app = EnteClient(server.url, package=AUTH_PACKAGE, keys=passkey_user.account.client.keys)
    auth_app.adopt(finished.json())
    assert auth_app.get("/users/session-validity/v2").status_code == 200
    photos = EnteClient(server.url, token=auth_app.token)
    assert photos.get("/users/session-validity/v2").status_code == 401
    verified_late = get_token(server, session_id)
    assert verified_late.status_code == 200


def test_wrong_assertions_are_refused(
    server: RunningServer, smtp_server: SmtpServer, passkey_user: PasskeyUser
) -> None:
    _, session_id = passkey_session(server, passkey_user)
    passkey = passkey_user.passkey
    other_user = signup(server.url, smtp_server.mailbox)
    someone_else = register(accounts_app(server, other_user))
    foreign_handle = (other_user.client.user_id or 0).to_bytes(8, "big")

    attempts = {
        "signature by another key": {"signing_key": ec.generate_private_key(ec.SECP256R1())},
        "wrong origin": {"origin": "https://evil.example"},
        "wrong RP id": {"rp_id": "evil.example"},
        "another user's handle": {"user_handle": foreign_handle},
    }
    for reason, change in attempts.items():
        begun = begun_login(server, session_id)
        ceremony = begun["ceremonySessionID"]
        refused = finish_login(
            server, session_id, ceremony, passkey.assertion(begun["options"], **change)
        )
        assert (refused.status_code, refused.json()) == (401, INVALID_SIGNATURE), reason
        # The ceremony is spent: a good answer to its challenge comes too late.
        late = finish_login(server, session_id, ceremony, passkey.assertion(begun["options"]))
        assert late.status_code == 404, reason

    # A credential of another account, signing this ceremony's challenge.
    begun = begun_login(server, session_id)
    stolen = finish_login(
        server, session_id, begun["ceremonySessionID"], someone_else.assertion(begun["options"])
    )
    assert (stolen.status_code, stolen.json()) == (401, INVALID_SIGNATURE)

    # A genuine signature over another ceremony's challenge.
    first, second = begun_login(server, session_id), begun_login(server, session_id)
    crossed = finish_login(
        server, session_id, first["ceremonySessionID"], passkey.assertion(second["options"])
    )
    assert (crossed.status_code, crossed.json()) == (401, INVALID_SIGNATURE)

    # A ceremony of another log-in of the same user is not this one's.
    _, other_session = passkey_session(server, passkey_user)
    foreign = begun_login(server, other_session)
    mixed = finish_login(
        server, session_id, foreign["ceremonySessionID"], passkey.assertion(foreign["options"])
    )
    assert mixed.status_code == 404

    late = begun_login(server, session_id)
    move_back_in_time(server, WebauthnCeremony, 2 * 60, id=late["ceremonySessionID"])
    expired = finish_login(
        server, session_id, late["ceremonySessionID"], passkey.assertion(late["options"])
    )
    assert (expired.status_code, expired.json()["code"]) == (410, "SESSION_EXPIRED")

    for garbage in (
        b"not json",
        b"{}",
        b'{"id":"AA","rawId":"AA","type":"public-key","response":{"authenticatorData":"!!","clientDataJSON":"e30","signature":"AA"}}',
    ):
        begun = begun_login(server, session_id)
        response = finish_login(server, session_id, begun["ceremonySessionID"], garbage)
        assert response.status_code in (400, 401), (garbage, response.text)
    assert finish_login(server, session_id, "not-a-uuid", b"{}").status_code == 400

    # After all that, the log-in still succeeds with the passkey.
    begun = begun_login(server, session_id)
    ok = finish_login(
        server, session_id, begun["ceremonySessionID"], passkey.assertion(begun["options"])
    )
    assert ok.status_code == 200, ok.text


def test_unknown_and_expired_passkey_sessions(
    server: RunningServer, passkey_user: PasskeyUser
) -> None:
    for unknown in ("nope", "A" * 43 + "="):
        assert begin_login(server, unknown).status_code == 404
        assert get_token(server, unknown).status_code == 404
    _, session_id = passkey_session(server, passkey_user)
    begun = begun_login(server, session_id)
    move_back_in_time(server, PasskeyLoginSession, 10 * 60, session_hash=token_hash(session_id))
    assertion = passkey_user.passkey.assertion(begun["options"])
    assert (
        finish_login(server, session_id, begun["ceremonySessionID"], assertion).status_code == 404
    )
    assert begin_login(server, session_id).status_code == 404
    assert get_token(server, session_id).status_code == 404


@pytest.fixture
def counting_user(server: RunningServer, account: Account) -> PasskeyUser:
    """A user whose authenticator keeps a signature counter (security keys do)."""
    return PasskeyUser(
        account, register(accounts_app(server, account), Authenticator(sign_count=1))
    )


def test_signature_counter_must_increase(server: RunningServer, counting_user: PasskeyUser) -> None:
    passkey = counting_user.passkey
    for _ in range(2):
        _, session_id = passkey_session(server, counting_user)
        begun = begun_login(server, session_id)
        ok = finish_login(
            server, session_id, begun["ceremonySessionID"], passkey.assertion(begun["options"])
        )
        assert ok.status_code == 200, ok.text
    # A clone of the authenticator, or a replayed response, repeats a counter already seen.
    _, session_id = passkey_session(server, counting_user)
    begun = begun_login(server, session_id)
    cloned = passkey.assertion(begun["options"], advance_counter=False)
    refused = finish_login(server, session_id, begun["ceremonySessionID"], cloned)
    assert (refused.status_code, refused.json()) == (401, INVALID_SIGNATURE)


def test_totp_and_passkey_offer_both(server: RunningServer, passkey_user: PasskeyUser) -> None:
    secret = enable_totp(passkey_user.account)
    client, response = srp_login(
        server.url, passkey_user.account.email, passkey_user.account.password
    )
    body = response.json()
    assert body["passkeySessionID"] and body["accountsUrl"]
    # Old clients read twoFactorSessionID only, and so take the passkey path.
    assert body["twoFactorSessionID"] == ""
    totp_session = body["twoFactorSessionIDV2"]
    assert totp_session
    verified = client.post(
        "/users/two-factor/verify", json={"sessionID": totp_session, "code": other_code(secret)}
    )
    assert verified.status_code == 200, verified.text
