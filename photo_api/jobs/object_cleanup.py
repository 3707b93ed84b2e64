"""Remove objects nobody needs: abandoned uploads, and deleted files' objects after the delay.

A row's state says whether its object is needed; only "pending" (upload URL issued, never
committed) and "deleted" (no file points at it) objects are removed. A run first claims due
rows in a short transaction, marking them "removing" (so a late commit of an abandoned
upload is refused, and other processes skip them for a lease), then removes the bytes outside
any transaction (a SQLite write lock must not wait on storage), and drops the rows whose
bytes are gone. A failure leaves the row to retry when its lease ends. A "prefix" row stands
for every object under its key (a deleted file's data).

It also removes the temp files that uploads to a local backend leave when their process is
killed mid-write: those not written to for an hour and held by no writer.
"""

from __future__ import annotations

import time

import structlog

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.db.session import Database
from photo_api.files import repo
from photo_api.files.repo import ClaimedObject
from photo_api.storage.base import StorageError
from photo_api.storage.local import LocalStore
from photo_api.storage.registry import Stores

log = structlog.get_logger(__name__)
BATCH = 500
LEASE_SECONDS = 15 * 60
TEMP_FILE_AGE_SECONDS = 3600


def _remove(stores: Stores, obj: ClaimedObject) -> None:
    # Every backend may hold a copy (replicas); removing a missing one is fine.
    for name, store in stores:
        if obj.upload_id and name == obj.backend:
            store.abort_multipart(obj.key, obj.upload_id)
        if obj.kind == "prefix":
            for key in list(store.keys(obj.key)):
                store.delete(key)
        else:
            store.delete(obj.key)


def run(db: Database, stores: Stores, *, now: int | None = None) -> dict[str, int]:
    now = now or now_us()
    with db.session() as session:
        claimed = repo.claim_objects_due(
            session, now=now, limit=BATCH, lease_until=now + LEASE_SECONDS * MICROS_PER_SECOND
        )
        session.commit()
    result = {"abandoned": 0, "deleted": 0, "failed": 0}
    gone = []
    for obj in claimed:
        try:
            _remove(stores, obj)
        except StorageError as exc:
            result["failed"] += 1
            log.warning("object removal failed; will retry", key=obj.key, error=str(exc))
            continue
        gone.append(obj.key)
        result["abandoned" if obj.state == "pending" else "deleted"] += 1
    if gone:
        with db.session() as session:
            repo.delete_removed_objects(session, gone)
            session.commit()
    result["temporary_files"] = _remove_temp_files(stores)
    return result


def _remove_temp_files(stores: Stores) -> int:
    # By the clock, not the run's `now`: it is the files' mtime that ages.
    written_before = time.time() - TEMP_FILE_AGE_SECONDS
    removed = 0
    for name, store in stores:
        if not isinstance(store, LocalStore):
            continue
        try:
            removed += store.remove_stale_temp_files(written_before=written_before)
        except OSError as exc:
            log.warning("temp file sweep failed; will retry", backend=name, error=str(exc))
    return removed
