"""Whether a user may store more: the plan's storage against usage, as museum decides."""

from __future__ import annotations

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.errors import payment_required, quota_exceeded, too_large
from photo_api.family import repo as family_repo
from photo_api.files import repo
from photo_api.files.schemas import MAX_FILE_SIZE
from photo_api.users import repo as users_repo

# museum lets an upload of known size overshoot the plan by this much.
OVERFLOW_BYTES = 50 * 1024 * 1024


def check(session: Session, *, user_id: int, size: int | None = None) -> None:
    """402 without an active plan; 426 when the upload would not fit.

    Family members draw on their admin's plan, against the whole family's usage, and on
    their own limit if the admin set one. With a size, usage rows are locked so that
    concurrent commits are counted one by one.
    """
    user = users_repo.get_user(session, user_id)
    admin_id = user.family_admin_id if user and user.family_admin_id else user_id
    sub = users_repo.subscription(session, admin_id)
    if sub is None or sub.expiry_time < now_us():
        raise payment_required()
    slack = OVERFLOW_BYTES if size is not None else 0
    if admin_id != user_id:
        used = family_repo.family_usage(session, admin_id)
        row = family_repo.row_for(session, admin_id=admin_id, member_id=user_id)
        if (
            row is not None
            and row.storage_limit is not None
            and (users_repo.usage(session, user_id) + (size or 0) > row.storage_limit + slack)
        ):
            raise quota_exceeded("beyond the limit the family admin set")
    elif user and user.family_admin_id == user_id:
        used = family_repo.family_usage(session, admin_id)
    else:
        used = (
            repo.locked_usage(session, user_id)
            if size is not None
            else (users_repo.usage(session, user_id))
        )
    if used + (size or 0) > sub.storage + slack:
        raise quota_exceeded()


def check_file_size(size: int) -> None:
    if size > MAX_FILE_SIZE:
        raise too_large("file is larger than 10 GiB")
