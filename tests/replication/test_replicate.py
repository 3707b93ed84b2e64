"""Every object copied to the replica once, checked by SHA-256, through outages of S3."""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.replication import service, verification
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import Account
from tests.fixtures.s3_server import S3Server
from tests.replication.conftest import (
    committed,
    copies,
    db_of,
    replica_of,
    sha256,
    stored_bytes,
    stores_of,
    upload_files,
)


def test_every_object_gets_one_verified_copy(tiered: RunningServer, owner: Account) -> None:
    # Two and a half batches (service.BATCH): full ones and a partial one.
    upload_files(owner, 25)
    objects = committed(tiered)
    assert len(objects) == 50  # file and thumbnail each
    assert 2 * service.BATCH < len(objects) < 3 * service.BATCH

    result = service.replicate(db_of(tiered), stores_of(tiered))
    assert result == {"copied": 50, "failed": 0, "skipped": 0, "lost": 0}

    rows = copies(tiered)
    replica = replica_of(tiered)
    objects = committed(tiered)
    for key, obj in objects.items():
        hot_bytes = stored_bytes(tiered, tiered.hot, key)
        assert obj.backend == tiered.hot and obj.sha256 == sha256(hot_bytes)
        copy = rows[(key, replica)]
        assert (copy.state, copy.sha256, copy.size) == ("ok", obj.sha256, obj.size)
        assert copy.copy_count == 1 and copy.attempts == 0 and copy.claimed_until == 0
        assert stored_bytes(tiered, replica, key) == hot_bytes
        home = rows[(key, tiered.hot)]
        assert (home.state, home.sha256, home.copy_count) == ("ok", obj.sha256, 0)

    # Nothing left to do: a second pass copies nothing again.
    assert service.replicate(db_of(tiered), stores_of(tiered))["copied"] == 0
    assert all(row.copy_count == 1 for (_, b), row in copies(tiered).items() if b == replica)


def test_s3_outage_mid_run_then_repair(local_hot: RunningServer, s3: S3Server, smtp_server) -> None:
    from tests.fixtures.ente import signup

    owner = signup(local_hot.url, smtp_server.mailbox)
    upload_files(owner, 20)
    db, stores = db_of(local_hot), stores_of(local_hot)

    def stop_after_ten(done: int, total: int) -> None:
        assert total == 40
        if done == 10:
            s3.stop()

    before = now_us()
    result = service.replicate(db, stores, progress=stop_after_ten)
    assert result["copied"] == 10
    assert 1 <= result["failed"] <= service.FAILURES_BEFORE_GIVING_UP
    # The rest of the batch S3 failed in was handed back; later batches were never leased.
    assert result["skipped"] >= 1

    rows = {key: row for (key, backend), row in copies(local_hot).items() if backend == "s3"}
    good = {key for key, row in rows.items() if row.state == "ok"}
    failed = {key for key, row in rows.items() if row.attempts > 0}
    assert len(good) == 10 and len(failed) == result["failed"] and not good & failed
    for key in failed:
        row = rows[key]
        assert row.state == "pending" and row.copy_count == 0 and row.last_error
        assert row.next_attempt_at >= before + service.FIRST_BACKOFF_SECONDS * 1_000_000
        assert row.claimed_until == 0
    # The ones skipped once S3 kept failing were handed back, not charged an attempt.
    assert all(row.claimed_until == 0 for row in rows.values())

    # While S3 is down nothing new is attempted for the failed ones (back-off).
    again = service.replicate(db, stores)
    assert again["copied"] == 0

    # moto comes back empty: verification finds the ten copies missing and makes them again.
    s3.start()
    checked = verification.verify(db, stores)
    assert checked["bad"] == 10 and checked["repaired"] == 10, checked
    assert checked["verified"] == 40  # the uploaded copies

    finished = service.replicate(db, stores, retry_now=True)
    assert finished["copied"] == 30 and finished["failed"] == 0

    rows = {key: row for (key, backend), row in copies(local_hot).items() if backend == "s3"}
    for key, obj in committed(local_hot).items():
        row = rows[key]
        assert row.state == "ok" and row.sha256 == obj.sha256
        assert row.copy_count == (2 if key in good else 1)
        assert stored_bytes(local_hot, "s3", key) == stored_bytes(local_hot, "local", key)
