"""SQL for contacts, and the facts about users and shares that their rules need."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from photo_api.models import CollectionShare, Contact, StoredObject, User


def lock_owner(session: Session, user_id: int) -> None:
    """Lock the owner's user row until the request ends: one contact change at a time."""
    session.execute(select(User.id).where(User.id == user_id).with_for_update())


def latest_time(session: Session, user_id: int) -> int:
    return int(
        session.scalar(select(func.max(Contact.updated_at)).where(Contact.user_id == user_id)) or 0
    )


def get(session: Session, contact_id: str) -> Contact | None:
    return session.get(Contact, contact_id)


def insert(session: Session, row: Contact) -> bool:
    """Add a contact; False when the owner has a row for that contact user already."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def has_contact_for(
    session: Session, *, user_id: int, contact_user_id: int, other_than: str
) -> bool:
    found = session.scalar(
        select(Contact.id).where(
            Contact.user_id == user_id,
            Contact.contact_user_id == contact_user_id,
            Contact.id != other_than,
        )
    )
    return found is not None


def diff_rows(session: Session, *, user_id: int, since: int, limit: int) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.user_id == user_id, Contact.updated_at > since)
            .order_by(Contact.updated_at, Contact.id)
            .limit(limit)
        )
    )


def rows_at(session: Session, *, user_id: int, at: int) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact)
            .where(Contact.user_id == user_id, Contact.updated_at == at)
            .order_by(Contact.id)
        )
    )


def emails(session: Session, user_ids: Sequence[int]) -> dict[int, str | None]:
    """Current emails of users; a deleted account's is None."""
    rows = session.execute(select(User.id, User.email).where(User.id.in_(set(user_ids))))
    return {user_id: email for user_id, email in rows}


def active_user(session: Session, user_id: int) -> User | None:
    return session.scalars(
        select(User).where(User.id == user_id, User.deleted_at.is_(None))
    ).one_or_none()


def share_an_album(session: Session, *, user_id: int, other_id: int) -> bool:
    """Whether both take part (owner or sharee) in one album shared by active shares."""
    mine, theirs = aliased(CollectionShare), aliased(CollectionShare)
    found = session.scalar(
        select(mine.collection_id)
        .join(theirs, theirs.collection_id == mine.collection_id)
        .where(
            mine.is_deleted.is_(False),
            theirs.is_deleted.is_(False),
            or_(mine.from_user_id == user_id, mine.to_user_id == user_id),
            or_(theirs.from_user_id == other_id, theirs.to_user_id == other_id),
        )
        .limit(1)
    )
    return found is not None


def live_contacts_of(session: Session, contact_user_id: int) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact).where(
                Contact.contact_user_id == contact_user_id, Contact.is_deleted.is_(False)
            )
        )
    )


def committed_attachments(session: Session, *, owner_id: int, prefix: str) -> list[StoredObject]:
    return list(
        session.scalars(
            select(StoredObject).where(
                StoredObject.owner_id == owner_id,
                StoredObject.key.startswith(prefix, autoescape=True),
                StoredObject.state == "committed",
                StoredObject.kind == "attachment",
            )
        )
    )


def delete_owned(session: Session, user_id: int) -> None:
    session.execute(delete(Contact).where(Contact.user_id == user_id))
