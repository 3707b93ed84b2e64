"""Account endpoints the clients call besides logging in."""

from __future__ import annotations

import pytest

from tests.client import crypto
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup, srp_login, unique_email
from tests.fixtures.smtp import SmtpServer


def test_details_shape(account: Account) -> None:
    body = account.client.get("/users/details/v2").json()
    assert set(body) == {
        "email",
        "usage",
        "subscription",
        "fileCount",
        "sharedCollectionsCount",
        "storageBonus",
        "profileData",
        "bonusData",
    }
    assert body["usage"] == 0 and body["fileCount"] == 0
    assert body["subscription"]["productID"] == "free"
    assert body["subscription"]["price"] == "" and body["subscription"]["period"] == "year"
    assert body["profileData"] == {
        "canDisableEmailMFA": True,
        "isEmailMFAEnabled": False,
        "isTwoFactorEnabled": False,
        "passkeyCount": 0,
    }
    without = account.client.get("/users/details/v2", params={"memoryCount": "false"}).json()
    assert "fileCount" not in without


def test_feature_flags_and_remote_store(account: Account) -> None:
    flags = account.client.get("/remote-store/feature-flags").json()
    # UploadV2 | Comments | BackupOptions | CastSessionsV2.
    assert flags["mapEnabled"] is False and flags["serverApiFlag"] == 1 | 2 | 4 | 16
    assert flags["castUrl"] == "https://cast.ente.com"
    assert account.client.get("/remote-store", params={"key": "mapEnabled"}).status_code == 404
    assert account.client.get(
        "/remote-store", params={"key": "faceSearchEnabled", "defaultValue": "false"}
    ).json() == {"value": "false"}
    assert (
        account.client.post(
            "/remote-store/update", json={"key": "mapEnabled", "value": "true"}
        ).status_code
        == 200
    )
    assert account.client.get("/remote-store/feature-flags").json()["mapEnabled"] is True
    assert (
        account.client.post(
            "/remote-store/update", json={"key": "internalUser", "value": "true"}
        ).status_code
        == 400
    )
    assert (
        account.client.post(
            "/remote-store/update", json={"key": "mapEnabled", "value": "yes"}
        ).status_code
        == 400
    )


def test_billing_answers_for_self_hosting(account: Account, server: RunningServer) -> None:
    plans = account.client.get("/billing/user-plans").json()
    assert (
        plans["plans"] == [] and plans["freePlan"]["storage"] == server.settings.default_quota_bytes
    )
    assert account.client.get("/billing/subscription").json()["subscription"]["productID"] == "free"


def test_email_mfa_switches_login_to_codes(account: Account, server: RunningServer) -> None:
    assert account.client.put("/users/email-mfa", json={"isEnabled": True}).status_code == 200
    attrs = EnteClient(server.url).get("/users/srp/attributes", params={"email": account.email})
    assert attrs.json()["attributes"]["isEmailMFAEnabled"] is True
    import base64

    from tests.client.srp import SrpClient

    srp = SrpClient(account.srp_user_id, b"0" * 16, b"1" * 16)
    response = EnteClient(server.url).post(
        "/users/srp/create-session",
        json={"srpUserID": account.srp_user_id, "srpA": base64.b64encode(srp.public_a).decode()},
    )
    assert response.status_code == 409
    assert response.json() == {"code": "EMAIL_MFA_ENABLED", "message": "Email MFA is enabled"}
    account.client.put("/users/email-mfa", json={"isEnabled": False})


def test_change_email(account: Account, server: RunningServer, smtp_server: SmtpServer) -> None:
    new_email = unique_email("moved")
    seen = smtp_server.mailbox.count()
    assert (
        account.client.post(
            "/users/ott", json={"email": new_email, "purpose": "change"}
        ).status_code
        == 200
    )
    code = smtp_server.mailbox.code_for(new_email, after=seen)
    assert (
        account.client.post(
            "/users/change-email", json={"email": new_email, "ott": code}
        ).status_code
        == 200
    )
    assert account.client.get("/users/details/v2").json()["email"] == new_email
    _, response = srp_login(server.url, new_email, account.password)
    assert response.status_code == 200


def test_change_email_to_a_taken_address_is_403(
    account: Account, server: RunningServer, smtp_server: SmtpServer
) -> None:
    other = signup(server.url, smtp_server.mailbox)
    response = account.client.post("/users/ott", json={"email": other.email, "purpose": "change"})
    assert response.status_code == 403


def test_delete_account(account: Account, server: RunningServer) -> None:
    challenge = account.client.get("/users/delete-challenge").json()
    assert challenge["allowDelete"] is True and challenge["apps"] == ["photos"]
    keys = account.client.keys
    assert keys is not None
    jwt_text = crypto.open_sealed(
        challenge["encryptedChallenge"], keys.public_key, keys.secret_key
    ).decode()
    forged = account.client.request("DELETE", "/users/delete", json={"challenge": "x.y.z"})
    assert forged.status_code == 400
    response = account.client.request(
        "DELETE", "/users/delete", json={"challenge": jwt_text, "reason": "testing"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"isSubscriptionCancelled": True, "userID": account.client.user_id}
    assert account.client.get("/users/details/v2").status_code == 401
    attrs = EnteClient(server.url).get("/users/srp/attributes", params={"email": account.email})
    assert attrs.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/users/details/v2",
        "/users/sessions",
        "/remote-store/feature-flags",
        "/users/session-validity/v2",
    ],
)
def test_routes_need_a_token(server: RunningServer, path: str) -> None:
    assert EnteClient(server.url).get(path).status_code == 401


def test_recovery_key_is_set_once(account: Account) -> None:
    fields = (
        "masterKeyEncryptedWithRecoveryKey",
        "masterKeyDecryptionNonce",
        "recoveryKeyEncryptedWithMasterKey",
        "recoveryKeyDecryptionNonce",
    )
    body = {field: account.key_attributes[field] for field in fields}
    # Accounts made by the web client already have one.
    assert account.client.put("/users/recovery-key", json=body).status_code == 409
    assert account.client.put("/users/recovery-key", json={}).status_code == 400
