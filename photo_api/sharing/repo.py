"""SQL for collection shares."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from photo_api.models import Collection, CollectionShare, User


def share(session: Session, *, collection_id: int, user_id: int) -> CollectionShare | None:
    return session.get(CollectionShare, (collection_id, user_id))


def active_share(session: Session, *, collection_id: int, user_id: int) -> CollectionShare | None:
    row = session.get(CollectionShare, (collection_id, user_id))
    return row if row is not None and not row.is_deleted else None


def upsert(
    session: Session,
    *,
    collection: Collection,
    to_user_id: int,
    encrypted_key: str,
    role: str,
    now: int,
) -> None:
    row = session.get(CollectionShare, (collection.id, to_user_id))
    if row is None:
        session.add(
            CollectionShare(
                collection_id=collection.id,
                to_user_id=to_user_id,
                from_user_id=collection.owner_id,
                encrypted_key=encrypted_key,
                role=role,
                is_deleted=False,
                shared_at=now,
                updation_time=now,
            )
        )
    else:
        if row.is_deleted:
            row.shared_at = now
        row.encrypted_key, row.role, row.is_deleted, row.updation_time = (
            encrypted_key,
            role,
            False,
            now,
        )
    session.flush()


def sharees(
    session: Session, collection_ids: Sequence[int]
) -> dict[int, list[tuple[CollectionShare, User]]]:
    """Active shares of each collection, with the users they are with."""
    out: dict[int, list[tuple[CollectionShare, User]]] = {cid: [] for cid in collection_ids}
    rows = session.execute(
        select(CollectionShare, User)
        .join(User, User.id == CollectionShare.to_user_id)
        .where(
            CollectionShare.collection_id.in_(collection_ids), CollectionShare.is_deleted.is_(False)
        )
        .order_by(CollectionShare.shared_at)
    ).all()
    for share_row, user in rows:
        out[share_row.collection_id].append((share_row, user))
    return out


def shared_with(
    session: Session, *, user_id: int, app: str, since: int
) -> list[tuple[CollectionShare, Collection, User]]:
    """Shares (live or revoked) to the user whose share or collection changed after `since`."""
    return [
        (share_row, collection, owner)
        for share_row, collection, owner in session.execute(
            select(CollectionShare, Collection, User)
            .join(Collection, Collection.id == CollectionShare.collection_id)
            .join(User, User.id == Collection.owner_id)
            .where(
                CollectionShare.to_user_id == user_id,
                Collection.app == app,
                or_(CollectionShare.updation_time > since, Collection.updation_time > since),
            )
        ).all()
    ]


def revoke_all(session: Session, *, collection_id: int, now: int) -> None:
    for row in session.scalars(
        select(CollectionShare).where(
            CollectionShare.collection_id == collection_id, CollectionShare.is_deleted.is_(False)
        )
    ):
        row.is_deleted, row.updation_time = True, now
    session.flush()


def revoke_to_user(session: Session, *, user_id: int, now: int) -> list[int]:
    """End every share with the user; returns the collections concerned."""
    rows = list(
        session.scalars(
            select(CollectionShare).where(
                CollectionShare.to_user_id == user_id, CollectionShare.is_deleted.is_(False)
            )
        )
    )
    for row in rows:
        row.is_deleted, row.updation_time = True, now
    session.flush()
    return [row.collection_id for row in rows]
