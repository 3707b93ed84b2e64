"""Family plans: invite, accept, members, pooled quota, per-member caps, leaving."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account, EnteClient, signup
from tests.fixtures.library import create_album, md5_b64, upload
from tests.fixtures.smtp import SmtpServer

MiB = 1024 * 1024


def families_client(account: Account, server: RunningServer) -> EnteClient:
    token = account.client.get("/users/families-token").json()["familiesToken"]
    return EnteClient(server.url, token=token)


def invite(admin: EnteClient, member: Account, smtp: SmtpServer) -> str:
    seen = smtp.mailbox.count()
    response = admin.post("/family/add-member", json={"email": member.email})
    assert response.status_code == 200, response.text
    body = smtp.mailbox.wait_for(member.email, after=seen).get_payload(decode=True).decode()
    match = re.search(r"inviteToken=(\S+)", str(body))
    assert match, body
    return match.group(1)


@pytest.fixture
def family(server: RunningServer, smtp_server: SmtpServer) -> tuple[Account, Account, Account]:
    server.settings.default_quota_bytes = 60 * MiB
    try:
        admin, first, second = (signup(server.url, smtp_server.mailbox) for _ in range(3))
    finally:
        server.settings.default_quota_bytes = 10 * 1024**3
    jwt_client = families_client(admin, server)
    assert jwt_client.post("/family/create").status_code == 200
    for member in (first, second):
        token = invite(jwt_client, member, smtp_server)
        info = EnteClient(server.url).get(f"/family/invite-info/{token}").json()
        assert info["adminEmail"] == admin.email
        accepted = EnteClient(server.url).post("/family/accept-invite", json={"token": token})
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["adminEmail"] == admin.email
    return admin, first, second


def test_family_of_three_shares_one_quota(family, server: RunningServer) -> None:
    admin, first, second = family
    members = families_client(admin, server).get("/family/members").json()
    assert [m["status"] for m in members["members"]] == ["SELF", "ACCEPTED", "ACCEPTED"]
    assert members["storage"] == 60 * MiB

    details = first.client.get("/users/details/v2").json()
    assert {m["email"] for m in details["familyData"]["members"]} == {
        admin.email,
        first.email,
        second.email,
    }

    # 60 MiB plan + museum's 50 MiB slack is shared: 100 MiB fits once, not twice over.
    def ask(member: Account, size: int) -> int:
        return member.client.post(
            "/files/upload-url", json={"contentLength": size, "contentMD5": md5_b64(b"")}
        ).status_code

    assert ask(first, 100 * MiB) == 200
    upload(first, create_album(first), b"x" * (200 * 1024))
    usage = first.client.get("/users/details/v2").json()["usage"]
    assert usage > 0
    assert ask(second, 110 * MiB - usage + 1) == 426
    assert ask(second, 110 * MiB - usage - 1) == 200

    # A cap for the second member.
    admin_jwt = families_client(admin, server)
    second_row = next(
        m for m in admin_jwt.get("/family/members").json()["members"] if m["email"] == second.email
    )
    assert (
        admin_jwt.post(
            "/family/modify-storage", json={"id": second_row["id"], "storageLimit": 1 * MiB}
        ).status_code
        == 200
    )
    assert ask(second, 52 * MiB) == 426
    assert ask(second, 50 * MiB) == 200


def test_leave_remove_and_refusals(family, server: RunningServer, smtp_server: SmtpServer) -> None:
    admin, first, second = family
    admin_jwt = families_client(admin, server)
    rows = admin_jwt.get("/family/members").json()["members"]
    first_row = next(m for m in rows if m["email"] == first.email)
    # A member cannot manage the family, nor a stranger.
    assert (
        families_client(first, server)
        .delete(f"/family/remove-member/{first_row['id']}")
        .status_code
        == 403
    )
    assert EnteClient(server.url, token="not-a-jwt").get("/family/members").status_code == 401
    assert admin_jwt.delete("/family/remove-member/not-a-uuid").status_code == 400
    # Members already in a family cannot be invited again.
    assert admin_jwt.post("/family/add-member", json={"email": first.email}).status_code == 406
    assert admin_jwt.delete(f"/family/remove-member/{first_row['id']}").status_code == 200
    assert "familyData" not in first.client.get("/users/details/v2").json()
    assert second.client.delete("/family/leave").status_code == 200
    assert admin.client.delete("/family/leave").status_code == 403
    assert [m["status"] for m in admin_jwt.get("/family/members").json()["members"]] == ["SELF"]
    outsider = signup(server.url, smtp_server.mailbox)
    assert families_client(outsider, server).get("/family/members").status_code == 400
