"""Copy new objects to the replicas, and re-read old copies now and then.

Safe in several processes at once: copies are leased in the database (see
photo_api.replication.service). Progress and lag go to the metrics.
"""

from __future__ import annotations

from photo_api import metrics
from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.jobs.scheduler import Job
from photo_api.replication import service, verification
from photo_api.storage.registry import Stores


def _progress(job: str) -> service.Progress:
    return lambda done, total: metrics.record_job_progress(job, done=done, total=total)


def record_lag(db: Database, stores: Stores) -> None:
    with db.session(write=False) as session:
        for name, lag in service.lag(session, stores).items():
            metrics.record_replication_lag(name, objects=lag.lag_objects, size=lag.lag_bytes)


def replicate(db: Database, settings: Settings, stores: Stores) -> dict[str, int]:
    result = service.replicate(
        db, stores, options=settings.replication, progress=_progress("replication")
    )
    record_lag(db, stores)
    return result


def verify(db: Database, settings: Settings, stores: Stores) -> dict[str, int]:
    interval = settings.replication.verify_interval_seconds
    result = verification.verify(
        db,
        stores,
        options=settings.replication,
        progress=_progress("verify"),
        # Copies read within the last interval (by an earlier run, or when copied) are skipped.
        verified_before=now_us() - int(interval * MICROS_PER_SECOND),
    )
    record_lag(db, stores)
    return result


def jobs(db: Database, settings: Settings, stores: Stores) -> list[Job]:
    """Nothing to do without replicas."""
    if not any(True for _ in stores.replicas()):
        return []
    options = settings.replication
    return [
        Job("replication", options.interval_seconds, lambda: replicate(db, settings, stores)),
        Job("verify", options.verify_interval_seconds, lambda: verify(db, settings, stores)),
    ]
