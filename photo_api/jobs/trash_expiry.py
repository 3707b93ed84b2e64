"""Delete for good what has been in the trash for longer than the retention period."""

from __future__ import annotations

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.db.session import Database
from photo_api.trash import repo
from photo_api.trash.service import delete_for_good

USERS_PER_RUN = 100
FILES_PER_USER = 1000


def run(db: Database, settings: Settings, *, now: int | None = None) -> int:
    """Returns how many files were deleted; each user's batch is its own transaction."""
    now = now or now_us()
    deleted = 0
    with db.session(write=False) as session:
        users = repo.users_with_expired_items(session, now=now, limit=USERS_PER_RUN)
    for user_id in users:
        with db.session() as session:
            expired = repo.in_trash(
                session, user_id=user_id, delete_by_until=now, limit=FILES_PER_USER
            )
            deleted += delete_for_good(
                session,
                settings=settings,
                user_id=user_id,
                file_ids=[row.file_id for row in expired],
            )
            session.commit()
    return deleted
