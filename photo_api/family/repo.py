"""SQL for family memberships."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from photo_api.models import FamilyMember, Usage, User

ACTIVE = ("SELF", "ACCEPTED")
COUNTED = ("SELF", "ACCEPTED", "INVITED")


def get(session: Session, member_row_id: str) -> FamilyMember | None:
    return session.get(FamilyMember, member_row_id)


def by_token(session: Session, token: str) -> FamilyMember | None:
    return session.scalars(select(FamilyMember).where(FamilyMember.token == token)).one_or_none()


def rows_of_family(
    session: Session, admin_id: int, statuses: tuple[str, ...] = COUNTED
) -> list[tuple[FamilyMember, User]]:
    return [
        (row, user)
        for row, user in session.execute(
            select(FamilyMember, User)
            .join(User, User.id == FamilyMember.member_id)
            .where(FamilyMember.admin_id == admin_id, FamilyMember.status.in_(statuses))
            .order_by(FamilyMember.created_at)
        ).all()
    ]


def row_for(session: Session, *, admin_id: int, member_id: int) -> FamilyMember | None:
    return session.scalars(
        select(FamilyMember).where(
            FamilyMember.admin_id == admin_id, FamilyMember.member_id == member_id
        )
    ).first()


def add(session: Session, row: FamilyMember) -> None:
    session.add(row)
    session.flush()


def family_usage(session: Session, admin_id: int) -> int:
    """Bytes used by every active member (the admin included), locking the admin's row so
    that concurrent uploads in one family are checked one at a time."""
    session.execute(select(Usage.user_id).where(Usage.user_id == admin_id).with_for_update())
    members = select(FamilyMember.member_id).where(
        FamilyMember.admin_id == admin_id, FamilyMember.status.in_(ACTIVE)
    )
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Usage.storage_consumed), 0)).where(
                Usage.user_id.in_(members)
            )
        )
        or 0
    )
