"""GET /storage/usage for everyone; /storage/tiers and /storage/replication for admins."""

from __future__ import annotations

from photo_api.replication import service
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import db_of, replica_of, stores_of, upload_files


def test_storage_views(tiered: RunningServer, smtp_server: SmtpServer) -> None:
    # A fresh server with no admins configured: the first account is its admin.
    admin = signup(tiered.url, smtp_server.mailbox)
    user = signup(tiered.url, smtp_server.mailbox)
    uploaded = upload_files(user, 3)
    total = sum(u.body["file"]["size"] + u.body["thumbnail"]["size"] for u in uploaded)

    usage = user.client.get("/storage/usage")
    assert usage.status_code == 200, usage.text
    assert usage.json() == {"usage": total, "quota": 10 * 1024**3, "fileCount": 3}
    assert admin.client.get("/storage/usage").json()["usage"] == 0

    replica = replica_of(tiered)
    tiers = admin.client.get("/storage/tiers")
    assert tiers.status_code == 200, tiers.text
    by_name = {tier["name"]: tier for tier in tiers.json()["tiers"]}
    assert tiers.json()["hot"] == tiered.hot
    assert by_name[tiered.hot] == {
        "name": tiered.hot,
        "type": tiered.hot,
        "hot": True,
        "objects": 6,
        "bytes": total,
        "healthy": True,
    }
    assert (by_name[replica]["objects"], by_name[replica]["hot"]) == (0, False)

    lag = admin.client.get("/storage/replication").json()["replicas"]
    assert lag == [
        {
            "name": replica,
            "replicated": 0,
            "pending": 6,
            "failed": 0,
            "bad": 0,
            "lagObjects": 6,
            "lagBytes": total,
            "oldestPendingAgeSeconds": lag[0]["oldestPendingAgeSeconds"],
        }
    ]
    assert 0 <= lag[0]["oldestPendingAgeSeconds"] < 120

    service.replicate(db_of(tiered), stores_of(tiered))
    one = admin.client.get("/storage/replication", params={"backend": replica})
    assert one.json()["replicas"][0] | {"oldestPendingAgeSeconds": 0} == {
        "name": replica,
        "replicated": 6,
        "pending": 0,
        "failed": 0,
        "bad": 0,
        "lagObjects": 0,
        "lagBytes": 0,
        "oldestPendingAgeSeconds": 0,
    }
    tiers = {t["name"]: t for t in admin.client.get("/storage/tiers").json()["tiers"]}
    assert (tiers[replica]["objects"], tiers[replica]["bytes"]) == (6, total)

    # Bad input: clear 4xx JSON.
    for params, status in [
        ({"backend": "nope"}, 404),
        ({"backend": tiered.hot}, 404),
        ({"backend": ""}, 400),
        ({"backend": "x" * 65}, 400),
    ]:
        answer = admin.client.get("/storage/replication", params=params)
        assert answer.status_code == status, (params, answer.text)
        assert answer.json()["code"] in ("NOT_FOUND", "BAD_REQUEST")
    assert user.client.get("/storage/tiers").json() == {"error": "insufficient permissions"}
