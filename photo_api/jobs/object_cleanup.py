"""Remove objects nobody needs: abandoned uploads, and deleted files' objects after the delay.

A row's state says whether its object is needed; only "pending" (expired upload URL, never
committed) and "deleted" (no file points at it) objects are removed, and the row goes only
after the bytes are gone, so a failure leaves the row to retry.
"""

from __future__ import annotations

import structlog

from photo_api.clock import now_us
from photo_api.db.session import Database
from photo_api.files import repo
from photo_api.storage.base import StorageError
from photo_api.storage.registry import Stores

log = structlog.get_logger(__name__)
BATCH = 500


def run(db: Database, stores: Stores, *, now: int | None = None) -> dict[str, int]:
    now = now or now_us()
    removed = {"abandoned": 0, "deleted": 0, "failed": 0}
    for state, label in (("pending", "abandoned"), ("deleted", "deleted")):
        with db.session() as session:
            for obj in repo.objects_due(session, state=state, now=now, limit=BATCH):
                try:
                    # Every backend may hold a copy (replicas); removing a missing one is fine.
                    for name, store in stores:
                        if obj.upload_id and name == obj.backend:
                            store.abort_multipart(obj.key, obj.upload_id)
                        store.delete(obj.key)
                except StorageError as exc:
                    removed["failed"] += 1
                    log.warning("object removal failed; will retry", key=obj.key, error=str(exc))
                    continue
                repo.delete_object_row(session, obj.key)
                removed[label] += 1
            session.commit()
    return removed
