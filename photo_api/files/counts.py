"""Figures about files: the server's file counter, an owner's heavy thumbnails."""

from __future__ import annotations

from sqlalchemy.orm import Session

from photo_api.db.base import FIRST_ID
from photo_api.files import repo


def total_count(session: Session) -> int:
    """How many files were ever uploaded here, read off the largest id as museum does (an
    index lookup, not a count); museum's offset fits its cloud's ids, this one ours. With no
    file yet it is 0, where museum answers a 500."""
    largest = repo.largest_file_id(session)
    return 0 if largest is None else largest - FIRST_ID + 1


def large_thumbnails(session: Session, *, user_id: int, threshold: int) -> list[int]:
    return repo.files_with_thumbnail_of_at_least(session, owner_id=user_id, size=threshold)
