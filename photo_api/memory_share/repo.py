"""SQL for memory links: the links, their files, and which of those files are still visible."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from photo_api.db.results import affected_rows
from photo_api.models import (
    Collection,
    CollectionFile,
    CollectionShare,
    File,
    MemoryShare,
    MemoryShareFile,
)
from photo_api.public_links.visitor import HIDDEN_ACTIONS

# What permanent deletion writes over a file's metadata.
DELETED_METADATA = "-"


def token_taken(session: Session, token_hash: bytes) -> bool:
    return bool(session.scalar(select(exists().where(MemoryShare.access_token_hash == token_hash))))


def insert(session: Session, share: MemoryShare, files: Sequence[MemoryShareFile]) -> bool:
    """Add a link and its files; False when its token was taken meanwhile."""
    try:
        with session.begin_nested():
            session.add(share)
            session.flush()
            for item in files:
                item.memory_share_id = share.id
            session.add_all(files)
    except IntegrityError:
        return False
    return True


def by_token_hash(session: Session, token_hash: bytes) -> MemoryShare | None:
    return session.scalars(
        select(MemoryShare).where(MemoryShare.access_token_hash == token_hash)
    ).one_or_none()


def get(session: Session, share_id: int) -> MemoryShare | None:
    return session.get(MemoryShare, share_id)


def _live(user_id: int, created_after: int) -> tuple[ColumnElement[bool], ...]:
    return (
        MemoryShare.user_id == user_id,
        MemoryShare.is_deleted.is_(False),
        MemoryShare.created_at > created_after,
    )


def live_shares(session: Session, *, user_id: int, created_after: int) -> list[MemoryShare]:
    """A user's links that are neither deleted nor created before `created_after`, newest
    first."""
    return list(
        session.scalars(
            select(MemoryShare)
            .where(*_live(user_id, created_after))
            .order_by(MemoryShare.created_at.desc(), MemoryShare.id.desc())
        )
    )


def count_live(session: Session, *, user_id: int, created_after: int) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(MemoryShare).where(*_live(user_id, created_after))
        )
        or 0
    )


def _forget_files(session: Session, share_ids: ColumnElement[bool]) -> None:
    """Drop the re-encrypted file keys of links nobody may open any more."""
    session.execute(
        delete(MemoryShareFile).where(
            MemoryShareFile.memory_share_id.in_(select(MemoryShare.id).where(share_ids))
        )
    )


def mark_deleted(session: Session, *, share_id: int, user_id: int, now: int) -> bool:
    """Delete one of the user's live links; False when there is no such link."""
    result = session.execute(
        update(MemoryShare)
        .where(
            MemoryShare.id == share_id,
            MemoryShare.user_id == user_id,
            MemoryShare.is_deleted.is_(False),
        )
        .values(is_deleted=True, updated_at=now)
    )
    if not affected_rows(result):
        return False
    _forget_files(session, MemoryShare.id == share_id)
    return True


def mark_user_deleted(session: Session, *, user_id: int, now: int) -> None:
    """Delete every link of a user (account deletion)."""
    session.execute(
        update(MemoryShare)
        .where(MemoryShare.user_id == user_id, MemoryShare.is_deleted.is_(False))
        .values(is_deleted=True, updated_at=now)
    )
    _forget_files(session, MemoryShare.user_id == user_id)


def purge(session: Session, *, expired_before: int, forget_before: int) -> int:
    """Drop the files of links created before `expired_before` (expired), and the links
    themselves once created before `forget_before`; returns the links dropped."""
    _forget_files(session, MemoryShare.created_at <= expired_before)
    result = session.execute(delete(MemoryShare).where(MemoryShare.created_at <= forget_before))
    return affected_rows(result)


# --- visibility ---------------------------------------------------------------------------


def _visible_to(viewer_id: int) -> tuple[ColumnElement[bool], ...]:
    """Conditions on File (joined by the query): the file is not deleted for good and is live
    in an album the viewer owns or that is shared with them. What keeps a link from showing
    what its creator no longer has: trashed, deleted, in an album they left or that was
    unshared."""
    shared_with_viewer = exists().where(
        CollectionShare.collection_id == Collection.id,
        CollectionShare.to_user_id == viewer_id,
        CollectionShare.is_deleted.is_(False),
    )
    in_album = exists(
        select(CollectionFile.file_id)
        .join(Collection, Collection.id == CollectionFile.collection_id)
        .where(
            CollectionFile.file_id == File.id,
            CollectionFile.is_deleted.is_(False),
            Collection.is_deleted.is_(False),
            or_(Collection.owner_id == viewer_id, shared_with_viewer),
            # An album admin's removal marker hides the file from everyone but its owner.
            or_(
                CollectionFile.action.is_(None),
                CollectionFile.action.not_in(HIDDEN_ACTIONS),
                CollectionFile.f_owner_id == viewer_id,
            ),
        )
    )
    return (File.encrypted_metadata != DELETED_METADATA, in_album)


def visible_file_ids(session: Session, *, viewer_id: int, file_ids: Sequence[int]) -> set[int]:
    if not file_ids:
        return set()
    return set(
        session.scalars(select(File.id).where(File.id.in_(set(file_ids)), *_visible_to(viewer_id)))
    )


def visible_items(
    session: Session, *, share_id: int, viewer_id: int
) -> list[tuple[MemoryShareFile, File]]:
    """A link's files its creator can still see, in the link's order."""
    rows = session.execute(
        select(MemoryShareFile, File)
        .join(File, File.id == MemoryShareFile.file_id)
        .where(
            MemoryShareFile.memory_share_id == share_id,
            *_visible_to(viewer_id),
        )
        .order_by(MemoryShareFile.position, MemoryShareFile.id)
    )
    return [(item, file) for item, file in rows]


def visible_item(
    session: Session, *, share_id: int, viewer_id: int, file_id: int
) -> MemoryShareFile | None:
    return session.scalars(
        select(MemoryShareFile)
        .join(File, File.id == MemoryShareFile.file_id)
        .where(
            MemoryShareFile.memory_share_id == share_id,
            MemoryShareFile.file_id == file_id,
            *_visible_to(viewer_id),
        )
    ).one_or_none()
