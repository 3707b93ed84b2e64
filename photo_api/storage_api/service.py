"""Numbers for /storage: usage as quota checks count it, tiers, replication lag."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_SECOND, now_us
from photo_api.collections import service as collections
from photo_api.errors import not_found
from photo_api.family import repo as family_repo
from photo_api.replication import service as replication
from photo_api.storage.registry import Stores
from photo_api.users import repo as users_repo
from photo_api.users.service import require_user


def usage(session: Session, *, user_id: int, app: str) -> dict[str, Any]:
    """Bytes used against the plan's storage: a family's members share the admin's plan, and
    their usage is pooled, as uploads are checked."""
    user = require_user(session, user_id)
    plan_owner = user.family_admin_id or user_id
    if user.family_admin_id is not None:
        used = family_repo.family_usage(session, plan_owner)
    else:
        used = users_repo.usage(session, user_id)
    sub = users_repo.subscription(session, plan_owner)
    return {
        "usage": used,
        "quota": sub.storage if sub is not None else 0,
        "fileCount": collections.file_count(session, user_id=user_id, app=app),
    }


def tiers(session: Session, *, stores: Stores) -> dict[str, Any]:
    return {
        "hot": stores.hot_name,
        "tiers": [
            {
                "name": tier.name,
                "type": tier.type,
                "hot": tier.hot,
                "objects": tier.objects,
                "bytes": tier.bytes,
                "healthy": tier.healthy,
            }
            for tier in replication.tiers(session, stores)
        ],
    }


def replication_status(session: Session, *, stores: Stores, backend: str | None) -> dict[str, Any]:
    lags = replication.lag(session, stores)
    if backend is not None:
        if backend not in lags:
            raise not_found(f"{backend!r} is not a replica")
        lags = {backend: lags[backend]}
    now = now_us()
    return {
        "replicas": [
            {
                "name": name,
                "replicated": lag.replicated,
                "pending": lag.pending,
                "failed": lag.failed,
                "bad": lag.bad,
                "lagObjects": lag.lag_objects,
                "lagBytes": lag.lag_bytes,
                "oldestPendingAgeSeconds": (
                    max(0, (now - lag.oldest_pending_at) // MICROS_PER_SECOND)
                    if lag.oldest_pending_at is not None
                    else 0
                ),
            }
            for name, lag in lags.items()
        ]
    }
