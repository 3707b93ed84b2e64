"""The replication and verify jobs: scheduled only with replicas, reporting lag and progress,
and never bringing back objects deleted while they were being copied."""

from __future__ import annotations

from prometheus_client import REGISTRY

from photo_api.clock import now_us
from photo_api.config import ReplicationSettings, load_settings
from photo_api.files import repo as files_repo
from photo_api.jobs import object_cleanup
from photo_api.jobs import replication as replication_jobs
from photo_api.main import background_jobs
from photo_api.models import StoredObject
from photo_api.replication import repo, service
from photo_api.storage.registry import build_stores
from tests.fixtures.app_server import RunningServer
from tests.fixtures.ente import signup
from tests.fixtures.smtp import SmtpServer
from tests.replication.conftest import committed, copies, db_of, stores_of, upload_files


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_jobs_run_only_with_replicas(local_hot: RunningServer, tmp_path) -> None:
    names = [
        job.name
        for job in background_jobs(db_of(local_hot), local_hot.settings, stores_of(local_hot))
    ]
    assert names[-2:] == ["replication", "verify"]
    alone = load_settings(data_dir=tmp_path)
    jobs = background_jobs(db_of(local_hot), alone, build_stores(alone))
    assert "replication" not in [job.name for job in jobs]


def test_jobs_report_lag_and_progress(local_hot: RunningServer, smtp_server: SmtpServer) -> None:
    owner = signup(local_hot.url, smtp_server.mailbox)
    upload_files(owner, 4)
    db, settings, stores = db_of(local_hot), local_hot.settings, stores_of(local_hot)

    replication_jobs.record_lag(db, stores)
    assert gauge("replication_lag_objects", backend="s3") == 8
    assert (gauge("replication_lag_bytes", backend="s3") or 0) > 0

    assert replication_jobs.replicate(db, settings, stores)["copied"] == 8
    assert gauge("replication_lag_objects", backend="s3") == 0
    assert gauge("replication_lag_bytes", backend="s3") == 0
    assert gauge("job_items_done", job="replication") == 8
    assert gauge("job_items_total", job="replication") == 8

    # Everything was verified when copied: the verify job skips it until the interval passes.
    assert replication_jobs.verify(db, settings, stores)["verified"] == 0


def test_objects_removed_during_a_copy_stay_removed(
    local_hot: RunningServer, smtp_server: SmtpServer
) -> None:
    owner = signup(local_hot.url, smtp_server.mailbox)
    (uploaded,) = upload_files(owner, 1)
    db, stores = db_of(local_hot), stores_of(local_hot)
    s3 = stores.get("s3")
    assert s3 is not None
    service.ensure_copies(db, stores)
    with db.session() as session:
        claims = repo.claim_to_copy(
            session, backends=["s3"], now=now_us(), lease_until=now_us() + 60_000_000, limit=2
        )
        session.commit()
    by_key = {claim.key: claim for claim in claims}
    file_key = uploaded.body["file"]["objectKey"]
    thumb_key = uploaded.body["thumbnail"]["objectKey"]

    # While the copies are under way, the file is deleted: one object is marked deleted, the
    # other already removed for good (a zero deletion delay).
    with db.session() as session:
        files_repo.mark_objects_deleted(session, keys=[file_key], delete_after=0)
        files_repo.delete_object_row(session, thumb_key)
        session.commit()
    run = service._Pass(db, stores, ReplicationSettings(), {"copied": 0, "failed": 0, "lost": 0})
    assert service._copy_one(run, by_key[file_key]) is True
    assert service._copy_one(run, by_key[thumb_key]) is False
    assert run.counts == {"copied": 1, "failed": 0, "lost": 1}
    # The removed object's copy is taken back at once; the deleted one stays deleted.
    assert s3.head(thumb_key) is None
    assert committed(local_hot) == {}
    with db.session(write=False) as session:
        assert session.get(StoredObject, file_key).state == "deleted"  # type: ignore[union-attr]

    # Cleanup removes it from every backend, and its copy rows go with the objects row.
    assert object_cleanup.run(db, stores)["deleted"] == 1
    assert s3.head(file_key) is None and stores.hot.head(file_key) is None
    assert copies(local_hot) == {}
