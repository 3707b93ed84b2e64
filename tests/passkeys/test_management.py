"""Passkey settings in the accounts app: the token that opens it, registration, the list,
renaming and deleting."""

from __future__ import annotations

import time

import jwt

from photo_api.models import WebauthnCeremony
from tests.client.authenticator import Authenticator, unb64url
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer
from tests.passkeys.conftest import (
    accounts_app,
    begin_registration,
    finish_registration,
    move_back_in_time,
    register,
)

NAME_ERROR = {"code": "BAD_REQUEST", "message": "friendlyName must be between 1 and 256 characters"}


def test_register_list_rename_delete(server: RunningServer, account: Account) -> None:
    token = account.client.get("/users/accounts-token").json()
    assert set(token) == {"accountsToken", "accountsUrl"}
    assert token["accountsUrl"] == "https://accounts.ente.com"
    claims = jwt.decode(token["accountsToken"], options={"verify_signature": False})
    assert claims["claimScope"] == "ACCOUNTS" and claims["userID"] == account.client.user_id
    thirty_minutes = claims["expiryTime"] - time.time() * 1_000_000
    assert 29 * 60e6 < thirty_minutes <= 30 * 60e6

    accounts = accounts_app(server, account)
    listed = accounts.get("/passkeys")
    assert listed.json() == {"accountsUrl": "https://accounts.ente.com", "passkeys": []}

    begun = begin_registration(accounts)
    options = begun["options"]["publicKey"]
    assert options["rp"] == {"name": "Ente", "id": "accounts.ente.com"}
    assert options["user"]["name"] == options["user"]["displayName"] == account.email
    assert account.client.user_id is not None
    assert unb64url(options["user"]["id"]) == account.client.user_id.to_bytes(8, "big")
    assert len(options["challenge"]) == 43 and len(unb64url(options["challenge"])) == 32
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert options["timeout"] == 300000 and "excludeCredentials" not in options
    passkey = Authenticator()
    response = finish_registration(accounts, begun, passkey.register(begun["options"]))
    assert (response.status_code, response.json()) == (200, {})

    [listed_key] = accounts.get("/passkeys").json()["passkeys"]
    assert set(listed_key) == {"id", "userID", "friendlyName", "createdAt"}
    assert listed_key["userID"] == account.client.user_id
    assert listed_key["friendlyName"] == "MacBook"
    details = account.client.get("/users/details/v2").json()
    assert details["profileData"]["passkeyCount"] == 1

    path = f"/passkeys/{listed_key['id']}"
    renamed = accounts.request("PATCH", path, params={"friendlyName": "Phone ✓"})
    assert (renamed.status_code, renamed.json()) == (200, {})
    assert accounts.get("/passkeys").json()["passkeys"][0]["friendlyName"] == "Phone ✓"
    for bad in ("", "é" * 129):
        refused = accounts.request("PATCH", path, params={"friendlyName": bad})
        assert (refused.status_code, refused.json()) == (400, NAME_ERROR)
    assert (
        accounts.request("PATCH", "/passkeys/not-a-uuid", params={"friendlyName": "x"}).status_code
        == 400
    )

    deleted = accounts.delete(path)
    assert (deleted.status_code, deleted.json()) == (200, {})
    assert accounts.get("/passkeys").json()["passkeys"] == []
    assert account.client.get("/users/details/v2").json()["profileData"]["passkeyCount"] == 0
    # Deleted for good: the same authenticator can be registered again.
    register(accounts, passkey)


def test_passkey_routes_take_the_accounts_token_only(
    server: RunningServer, account: Account
) -> None:
    accounts = accounts_app(server, account)
    jwt_token = accounts.token
    session = EnteClient(server.url, token=account.client.token)
    refused = session.get("/passkeys")
    assert (refused.status_code, refused.json()) == (401, {"error": "invalid token"})
    with_jwt = EnteClient(server.url, token=jwt_token)
    assert with_jwt.get("/users/details/v2").status_code == 401
    # The accounts page is opened as <accountsUrl>/passkeys?token=…; museum reads it there too.
    query = EnteClient(server.url).get("/passkeys", params={"token": jwt_token})
    assert query.status_code == 200

    secret = server.settings.keys.raw("jwt_secret")
    now = int(time.time() * 1_000_000)
    expired = jwt.encode(
        {"userID": account.client.user_id, "expiryTime": now - 1, "claimScope": "ACCOUNTS"},
        secret,
    )
    families = jwt.encode(
        {"userID": account.client.user_id, "expiryTime": now + 10**9, "claimScope": "FAMILIES"},
        secret,
    )
    for token in (expired, families, "x.y.z"):
        response = EnteClient(server.url, token=token).get("/passkeys")
        assert (response.status_code, response.json()) == (401, {"error": "invalid token"})


def test_registration_refusals(
    server: RunningServer, account: Account, smtp_server: SmtpServer
) -> None:
    accounts = accounts_app(server, account)
    passkey = Authenticator()

    for bad in ({"origin": "https://evil.example"}, {"rp_id": "evil.example"}):
        begun = begin_registration(accounts)
        response = finish_registration(accounts, begun, passkey.register(begun["options"], **bad))
        assert response.status_code == 400, bad
        # The ceremony is spent: the right answer to it comes too late.
        again = finish_registration(accounts, begun, passkey.register(begun["options"]))
        assert again.status_code == 404

    first, second = begin_registration(accounts), begin_registration(accounts)
    crossed = finish_registration(accounts, first, passkey.register(second["options"]))
    assert crossed.status_code == 400

    # Someone else's ceremony is not found, and stays usable by its owner.
    other = accounts_app(server, signup(server.url, smtp_server.mailbox))
    begun = begin_registration(accounts)
    body = passkey.register(begun["options"])
    assert finish_registration(other, begun, body).status_code == 404
    assert finish_registration(accounts, begun, body).status_code == 200

    duplicate = begin_registration(accounts)
    response = finish_registration(accounts, duplicate, passkey.register(duplicate["options"]))
    assert response.status_code == 409

    late = begin_registration(accounts)
    move_back_in_time(server, WebauthnCeremony, 5 * 60, id=late["sessionID"])
    response = finish_registration(accounts, late, Authenticator().register(late["options"]))
    assert (response.status_code, response.json()["code"]) == (410, "SESSION_EXPIRED")

    begun = begin_registration(accounts)
    named = finish_registration(
        accounts, begun, Authenticator().register(begun["options"]), name=""
    )
    assert named.status_code == 400
    for garbage in (
        b"not json",
        b"[]",
        b'{"id": 1}',
        b'{"id":"AA","rawId":"AA","type":"public-key","response":{"attestationObject":"%%%","clientDataJSON":"e30"}}',
    ):
        response = accounts.post(
            "/passkeys/registration/finish",
            params={"friendlyName": "x", "sessionID": begin_registration(accounts)["sessionID"]},
            content=garbage,
        )
        assert response.status_code == 400, (garbage, response.text)
    assert (
        accounts.post(
            "/passkeys/registration/finish", params={"friendlyName": "x", "sessionID": "nope"}
        ).status_code
        == 400
    )


def test_ten_passkeys_at_most(server: RunningServer, account: Account) -> None:
    accounts = accounts_app(server, account)
    for n in range(10):
        register(accounts, name=f"key {n}")
    response = accounts.post("/passkeys/registration/begin")
    assert (response.status_code, response.json()["code"]) == (409, "MAX_PASSKEYS_REACHED")
    assert len(accounts.get("/passkeys").json()["passkeys"]) == 10


def test_others_passkeys_cannot_be_renamed_or_deleted(
    server: RunningServer, account: Account, smtp_server: SmtpServer
) -> None:
    accounts = accounts_app(server, account)
    register(accounts, name="mine")
    [mine] = accounts.get("/passkeys").json()["passkeys"]
    other = accounts_app(server, signup(server.url, smtp_server.mailbox))
    # museum answers 200 and changes nothing; so do we.
    assert (
        other.request("PATCH", f"/passkeys/{mine['id']}", params={"friendlyName": "x"}).status_code
        == 200
    )
    assert other.delete(f"/passkeys/{mine['id']}").status_code == 200
    assert accounts.get("/passkeys").json()["passkeys"] == [mine]
