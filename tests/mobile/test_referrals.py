"""/storage-bonus/*: no referral program on a self-hosted server, in the app's own shapes."""

from __future__ import annotations

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.smtp import SmtpServer
from tests.sharing.test_family import families_client, invite

PLAN_INFO = {
    "isEnabled": False,
    "planType": "10_GB_ON_UPGRADE",
    "storageInGB": 10,
    "maxClaimableStorageInGB": 2000,
}


def test_referral_view_shows_the_paused_screen(account: Account) -> None:
    response = account.client.get("/storage-bonus/referral-view")
    assert response.status_code == 200, response.text
    # Every field the app casts without a null check is there, with its type.
    assert response.json() == {
        "planInfo": PLAN_INFO,
        "code": "",
        "enableApplyCode": False,
        "hasAppliedCode": False,
        "claimedStorage": 0,
        "isFamilyMember": False,
        "codeChangeAttempts": 0,
        "remainingCodeChangeAttempts": 0,
    }


def test_family_members_are_told_so(
    server: RunningServer, smtp_server: SmtpServer, account: Account
) -> None:
    member = signup(server.url, smtp_server.mailbox)
    admin = families_client(account, server)
    assert admin.post("/family/create").status_code == 200
    token = invite(admin, member, smtp_server)
    accepted = EnteClient(server.url).post("/family/accept-invite", json={"token": token})
    assert accepted.status_code == 200, accepted.text

    view = member.client.get("/storage-bonus/referral-view").json()
    assert view["isFamilyMember"] is True and view["enableApplyCode"] is False
    assert account.client.get("/storage-bonus/referral-view").json()["isFamilyMember"] is False


def test_storage_details_are_empty(account: Account) -> None:
    response = account.client.get("/storage-bonus/details")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "referralStats": [],
        "bonuses": [],
        "refCount": 0,
        "refUpgradeCount": 0,
        "hasAppliedCode": False,
    }


def test_no_code_can_be_applied_or_changed(account: Account) -> None:
    # As the app sends them: code trimmed and upper-cased, in the query (and body for changes).
    claim = account.client.post("/storage-bonus/referral-claim", params={"code": "AB12CD"})
    assert (claim.status_code, claim.json()) == (
        404,
        {"code": "INVALID_CODE", "message": "Invalid code"},
    )
    missing = account.client.post("/storage-bonus/referral-claim")
    assert missing.status_code == 400 and missing.json()["code"] == "BAD_REQUEST"

    change = account.client.post(
        "/storage-bonus/change-code", params={"code": "MYCODE"}, json={"code": "MYCODE"}
    )
    assert change.status_code == 400 and change.json()["code"] == "BAD_REQUEST"
    assert "not available" in change.json()["message"]
    assert account.client.post("/storage-bonus/change-code", json={}).status_code == 400
