"""SQL for collection actions, which are the action markers on memberships."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from photo_api.models import CollectionFile, TrashItem


def pending_removes(
    session: Session, *, user_id: int, since: int, limit: int
) -> list[CollectionFile]:
    """Live memberships of the user's files that an album admin marked REMOVE."""
    return list(
        session.scalars(
            select(CollectionFile)
            .where(
                CollectionFile.f_owner_id == user_id,
                CollectionFile.action == "REMOVE",
                CollectionFile.is_deleted.is_(False),
                CollectionFile.updation_time > since,
            )
            .order_by(
                CollectionFile.updation_time, CollectionFile.collection_id, CollectionFile.file_id
            )
            .limit(limit)
        )
    )


def delete_suggestions(
    session: Session, *, user_id: int, since: int, limit: int
) -> list[CollectionFile]:
    """Memberships of the user's files marked DELETE_SUGGESTED, unless the file went to the
    trash since (the owner has already acted)."""
    trashed = select(TrashItem.file_id).where(
        TrashItem.user_id == user_id, TrashItem.is_restored.is_(False)
    )
    return list(
        session.scalars(
            select(CollectionFile)
            .where(
                CollectionFile.f_owner_id == user_id,
                CollectionFile.action == "DELETE_SUGGESTED",
                CollectionFile.updation_time > since,
                CollectionFile.file_id.not_in(trashed),
            )
            .order_by(
                CollectionFile.updation_time, CollectionFile.collection_id, CollectionFile.file_id
            )
            .limit(limit)
        )
    )


def suggested_deletions_of(
    session: Session, *, user_id: int, file_ids: Sequence[int]
) -> list[CollectionFile]:
    return list(
        session.scalars(
            select(CollectionFile).where(
                CollectionFile.f_owner_id == user_id,
                CollectionFile.action == "DELETE_SUGGESTED",
                CollectionFile.file_id.in_(file_ids),
            )
        )
    )
