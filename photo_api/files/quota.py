"""Whether a user may store more: the plan's storage against usage, as museum decides."""

from __future__ import annotations

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.errors import payment_required, quota_exceeded, too_large
from photo_api.files import repo
from photo_api.files.schemas import MAX_FILE_SIZE
from photo_api.users import repo as users_repo

# museum lets an upload of known size overshoot the plan by this much.
OVERFLOW_BYTES = 50 * 1024 * 1024


def check(session: Session, *, user_id: int, size: int | None = None) -> None:
    """402 without an active plan; 426 when the upload would not fit.

    With a size, the usage row is locked so that concurrent commits are counted one by one.
    """
    sub = users_repo.subscription(session, user_id)
    if sub is None or sub.expiry_time < now_us():
        raise payment_required()
    if size is None:
        if users_repo.usage(session, user_id) > sub.storage:
            raise quota_exceeded()
        return
    if repo.locked_usage(session, user_id) + size > sub.storage + OVERFLOW_BYTES:
        raise quota_exceeded()


def check_file_size(size: int) -> None:
    if size > MAX_FILE_SIZE:
        raise too_large("file is larger than 10 GiB")
