"""The /admin API: looking users up, changing plans and flags, unlocking and deleting."""

from __future__ import annotations

import time

from tests.accounts.test_two_factor import enable_totp
from tests.admin.conftest import age_token
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, srp_login

GiB = 1024**3
TOO_OLD = {"code": "BAD_REQUEST", "message": "Token is too old"}


def micros(seconds_from_now: float) -> int:
    return int((time.time() + seconds_from_now) * 1_000_000)


def test_list_users(server: RunningServer, admin: Account, account: Account) -> None:
    response = admin.client.get("/admin/users", params={"sinceTime": 0})
    assert response.status_code == 200, response.text
    users = {user["email"]: user for user in response.json()["users"]}
    listed = users[account.email]
    assert listed == {
        "ID": account.client.user_id,
        "email": account.email,
        "name": "",
        "hash": "",
        "creationTime": listed["creationTime"],
        "familyAdminID": None,
        "isTwoFactorEnabled": False,
        "isEmailMFAEnabled": False,
    }
    later = admin.client.get("/admin/users/", params={"sinceTime": listed["creationTime"]})
    assert account.email not in {user["email"] for user in later.json()["users"]}

    assert admin.client.get("/admin/users").status_code == 400
    assert admin.client.get("/admin/users", params={"sinceTime": "soon"}).status_code == 400

    age_token(server, admin.client.token or "", seconds=11 * 60)
    old = admin.client.get("/admin/users", params={"sinceTime": 0})
    assert (old.status_code, old.json()) == (400, TOO_OLD)
    # Only the most damaging actions ask for a fresh token.
    assert admin.client.get("/admin/user", params={"id": account.client.user_id}).status_code == 200


def test_get_user_by_email_and_id(server: RunningServer, admin: Account, account: Account) -> None:
    by_email = admin.client.get("/admin/user/", params={"email": f"  {account.email.upper()} "})
    assert by_email.status_code == 200, by_email.text
    body = by_email.json()
    assert set(body) == {"user", "subscription", "details", "tokens"}
    assert body["user"]["ID"] == account.client.user_id
    assert body["subscription"]["productID"] == "free"
    assert body["details"]["email"] == account.email and body["details"]["usage"] == 0
    assert body["tokens"] and set(body["tokens"][0]) == {
        "creationTime",
        "lastUsedTime",
        "ua",
        "isDeleted",
        "app",
    }
    by_id = admin.client.get("/admin/user", params={"id": account.client.user_id}).json()
    assert by_id["user"] == body["user"]

    for unknown in ({"email": "nobody@example.org"}, {"id": 987654321}):
        assert admin.client.get("/admin/user", params=unknown).status_code == 404
    assert admin.client.get("/admin/user").status_code == 400


def test_update_subscription(server: RunningServer, admin: Account, account: Account) -> None:
    # What `ente admin update-subscription --no-limit` sends.
    body = {
        "userID": account.client.user_id,
        "storage": 100 * 1024 * GiB,
        "expiryTime": micros(100 * 365 * 86400),
        "transactionID": f"cli-on-{int(time.time())}",
        "productID": "free",
        "paymentProvider": "",
    }
    response = admin.client.put("/admin/user/subscription", json=body)
    assert response.status_code == 200, response.text
    sub = account.client.get("/users/details/v2").json()["subscription"]
    assert sub["storage"] == 100 * 1024 * GiB and sub["productID"] == "free"
    assert sub["originalTransactionID"] == body["transactionID"]

    zero = admin.client.put("/admin/user/subscription", json={**body, "storage": 0})
    assert zero.status_code == 400
    unknown = admin.client.put("/admin/user/subscription", json={**body, "userID": 987654321})
    assert unknown.status_code == 404


def test_disable_two_factor(server: RunningServer, admin: Account, account: Account) -> None:
    enable_totp(account)
    body = {"userID": account.client.user_id}
    response = admin.client.post("/admin/user/disable-2fa", json=body)
    assert response.status_code == 200, response.text
    assert account.client.get("/users/two-factor/status").json() == {"status": False}
    _, login = srp_login(server.url, account.email, account.password)
    assert "encryptedToken" in login.json()

    age_token(server, admin.client.token or "", seconds=11 * 60)
    old = admin.client.post("/admin/user/disable-2fa", json=body)
    assert (old.status_code, old.json()) == (400, TOO_OLD)


def test_update_email_mfa(admin: Account, account: Account) -> None:
    body = {"userID": account.client.user_id, "emailMFA": True}
    assert admin.client.post("/admin/user/update-email-mfa", json=body).status_code == 200
    profile = account.client.get("/users/details/v2").json()["profileData"]
    assert profile["isEmailMFAEnabled"] is True
    missing = admin.client.post("/admin/user/update-email-mfa", json={"userID": 1})
    assert missing.status_code == 400


def test_terminate_session(server: RunningServer, admin: Account, account: Account) -> None:
    other, login = srp_login(server.url, account.email, account.password)
    other.adopt(login.json(), password=account.password)
    sessions = account.client.get("/users/sessions").json()["sessions"]
    handle = next(s["token"] for s in sessions if s["token"] != account.client.token)

    body = {"userID": account.client.user_id, "token": handle}
    assert admin.client.post("/admin/user/terminate-session", json=body).status_code == 200
    assert other.get("/users/details/v2").status_code == 401
    assert account.client.get("/users/details/v2").status_code == 200
    assert admin.client.post("/admin/user/terminate-session", json=body).status_code == 404

    raw = {"userID": account.client.user_id, "token": account.client.token}
    assert admin.client.post("/admin/user/terminate-session", json=raw).status_code == 200
    assert account.client.get("/users/details/v2").status_code == 401
    # A token is only found among the sessions of the user named.
    foreign = {"userID": account.client.user_id, "token": admin.client.token}
    assert admin.client.post("/admin/user/terminate-session", json=foreign).status_code == 404


def test_delete_user(server: RunningServer, admin: Account, account: Account) -> None:
    response = admin.client.delete("/admin/user/delete", params={"email": account.email})
    assert response.status_code == 200, response.text
    assert response.json() == {"isSubscriptionCancelled": True, "userID": account.client.user_id}
    assert account.client.get("/users/details/v2").status_code == 401
    assert admin.client.get("/admin/user", params={"email": account.email}).status_code == 404
    again = admin.client.delete("/admin/user/delete", params={"email": account.email})
    assert again.status_code == 404
    itself = admin.client.delete("/admin/user/delete", params={"email": admin.email})
    assert itself.status_code == 400

    age_token(server, admin.client.token or "", seconds=11 * 60)
    old = admin.client.delete("/admin/user/delete", params={"email": admin.email})
    assert (old.status_code, old.json()) == (400, TOO_OLD)


def test_add_ott(server: RunningServer, admin: Account, account: Account) -> None:
    body = {"email": account.email, "code": "424242", "app": "photos", "expiryTime": micros(600)}
    assert admin.client.post("/admin/user/add-ott", json=body).status_code == 200
    device = EnteClient(server.url)
    login = device.post("/users/verify-email", json={"email": account.email, "ott": "424242"})
    assert login.status_code == 200, login.text
    device.adopt(login.json(), password=account.password)
    assert device.get("/users/details/v2").status_code == 200

    for bad in ({"code": "12345"}, {"code": "1234a6"}, {"app": "drive"}, {"expiryTime": 1}):
        response = admin.client.post("/admin/user/add-ott", json={**body, **bad})
        assert response.status_code == 400, bad


def test_update_flag(admin: Account, account: Account) -> None:
    assert (
        account.client.post("/remote-store/update", json={"key": "betaUser", "value": "true"})
    ).status_code == 400
    body = {"userID": account.client.user_id, "key": "betaUser", "value": "true"}
    assert admin.client.post("/admin/user/update-flag", json=body).status_code == 200
    assert account.client.get("/remote-store/feature-flags").json()["betaUser"] is True

    unknown_key = admin.client.post("/admin/user/update-flag", json={**body, "key": "isAdmin"})
    assert unknown_key.status_code == 400
    unknown_user = admin.client.post("/admin/user/update-flag", json={**body, "userID": 987654321})
    assert unknown_user.status_code == 404
