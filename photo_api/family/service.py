"""Rules for families, as museum has them; open to every user of a self-hosted server."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy.orm import Session

from photo_api.clock import now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found, quota_exceeded
from photo_api.family import repo
from photo_api.mail import Email, Outbox
from photo_api.models import FamilyMember, User
from photo_api.users import repo as users_repo
from photo_api.users.service import normalize_email, require_user

MAX_MEMBERS = 6


def _admin_of(session: Session, user_id: int) -> int | None:
    user = require_user(session, user_id)
    return user.family_admin_id


def _own_family(session: Session, user_id: int) -> int:
    """The caller must be a family admin."""
    if _admin_of(session, user_id) != user_id:
        raise bad_request("you do not administer a family")
    return user_id


def create(session: Session, *, user_id: int) -> None:
    user = require_user(session, user_id)
    if user.family_admin_id == user_id:
        return
    if user.family_admin_id is not None:
        raise bad_request("already a member of another family")
    now = now_us()
    repo.add(
        session,
        FamilyMember(
            id=str(uuid.uuid4()),
            admin_id=user_id,
            member_id=user_id,
            status="SELF",
            created_at=now,
            updated_at=now,
        ),
    )
    user.family_admin_id = user_id


def members(session: Session, *, user_id: int) -> dict[str, Any]:
    admin_id = _admin_of(session, user_id)
    if admin_id is None:
        raise bad_request("not in a family")
    sub = users_repo.subscription(session, admin_id)
    out = []
    for row, user in repo.rows_of_family(session, admin_id):
        out.append(
            {
                "id": row.id,
                "email": user.email or "",
                "status": row.status,
                "storageLimit": row.storage_limit,
                "usage": users_repo.usage(session, user.id) if row.status in repo.ACTIVE else 0,
                "isAdmin": row.status == "SELF",
            }
        )
    return {
        "members": out,
        "storage": sub.storage if sub else 0,
        "expiryTime": sub.expiry_time if sub else 0,
        "adminBonus": 0,
    }


def add_member(
    session: Session,
    *,
    settings: Settings,
    outbox: Outbox,
    user_id: int,
    email: str,
    storage_limit: int | None,
) -> None:
    admin_id = _own_family(session, user_id)
    if len(repo.rows_of_family(session, admin_id)) >= MAX_MEMBERS:
        raise ApiError(412, "FAMILY_FULL", f"a family has at most {MAX_MEMBERS} members")
    invitee = users_repo.user_by_email(session, normalize_email(email))
    if invitee is None or invitee.deleted_at is not None:
        raise not_found("no user with that email")
    if invitee.id == user_id or invitee.family_admin_id is not None:
        raise ApiError(406, "ALREADY_IN_FAMILY", "that user is already in a family")
    now = now_us()
    token = secrets.token_urlsafe(32)
    row = repo.row_for(session, admin_id=admin_id, member_id=invitee.id)
    if row is None:
        row = FamilyMember(
            id=str(uuid.uuid4()), admin_id=admin_id, member_id=invitee.id, created_at=now
        )
    row.status, row.token, row.storage_limit, row.updated_at = "INVITED", token, storage_limit, now
    repo.add(session, row)
    admin = require_user(session, admin_id)
    outbox.send(
        Email(
            to=invitee.email or "",
            subject=f"{admin.email} invited you to their family plan",
            text=f"Accept the invitation: {settings.family_origin}?inviteToken={token}",
        )
    )


def _managed_row(session: Session, *, user_id: int, row_id: str) -> FamilyMember:
    try:
        uuid.UUID(row_id)
    except ValueError as exc:
        raise bad_request("not a membership id") from exc
    row = repo.get(session, row_id)
    if row is None:
        raise not_found("no such membership")
    if row.admin_id != user_id or _admin_of(session, user_id) != user_id:
        raise forbidden("not the admin of that family")
    return row


def remove_member(session: Session, *, user_id: int, row_id: str) -> None:
    row = _managed_row(session, user_id=user_id, row_id=row_id)
    if row.status == "REMOVED":
        return
    if row.status != "ACCEPTED":
        raise bad_request("only accepted members can be removed")
    row.status, row.updated_at = "REMOVED", now_us()
    require_user(session, row.member_id).family_admin_id = None


def revoke_invite(session: Session, *, user_id: int, row_id: str) -> None:
    row = _managed_row(session, user_id=user_id, row_id=row_id)
    if row.status == "REVOKED":
        return
    if row.status != "INVITED":
        raise bad_request("only pending invitations can be revoked")
    row.status, row.token, row.updated_at = "REVOKED", None, now_us()


def modify_storage(
    session: Session, *, user_id: int, row_id: str, storage_limit: int | None
) -> None:
    row = _managed_row(session, user_id=user_id, row_id=row_id)
    if row.status == "SELF":
        raise bad_request("the admin's storage is the plan's")
    if row.status != "ACCEPTED":
        raise bad_request("only accepted members get a limit")
    if storage_limit is not None:
        sub = users_repo.subscription(session, row.admin_id)
        if sub is None or storage_limit > sub.storage:
            raise quota_exceeded("limit exceeds the family's storage")
        if users_repo.usage(session, row.member_id) > storage_limit:
            raise bad_request("the member already uses more than that")
    row.storage_limit, row.updated_at = storage_limit, now_us()


def leave(session: Session, *, user_id: int) -> None:
    admin_id = _admin_of(session, user_id)
    if admin_id is None:
        return
    if admin_id == user_id:
        raise forbidden("the admin cannot leave their family")
    row = repo.row_for(session, admin_id=admin_id, member_id=user_id)
    if row is not None:
        row.status, row.updated_at = "LEFT", now_us()
    require_user(session, user_id).family_admin_id = None


def invite_info(session: Session, *, token: str) -> dict[str, Any]:
    row = repo.by_token(session, token)
    if row is None:
        raise not_found("unknown invitation")
    if row.status != "INVITED":
        raise bad_request("invitation is no longer open")
    admin: User = require_user(session, row.admin_id)
    return {"id": row.id, "adminEmail": admin.email}


def accept_invite(session: Session, *, token: str) -> dict[str, Any]:
    row = repo.by_token(session, token)
    if row is None:
        raise not_found("unknown invitation")
    if row.status not in ("INVITED", "ACCEPTED"):
        raise ApiError(401, "INVITE_CLOSED", "invitation is no longer open")
    member = require_user(session, row.member_id)
    if row.status == "INVITED":
        if member.family_admin_id not in (None, row.admin_id):
            raise ApiError(406, "ALREADY_IN_FAMILY", "already in another family")
        row.status, row.updated_at = "ACCEPTED", now_us()
        member.family_admin_id = row.admin_id
    admin = require_user(session, row.admin_id)
    sub = users_repo.subscription(session, row.admin_id)
    return {
        "adminEmail": admin.email,
        "storage": sub.storage if sub else 0,
        "expiryTime": sub.expiry_time if sub else 0,
    }


def family_data(session: Session, *, user_id: int) -> dict[str, Any] | None:
    """What /users/details/v2 reports as familyData, or None outside a family."""
    if _admin_of(session, user_id) is None:
        return None
    return members(session, user_id=user_id)


def close_or_leave(session: Session, *, user_id: int) -> None:
    """For a deleted account: an admin's family is closed, a member leaves theirs."""
    admin_id = _admin_of(session, user_id)
    if admin_id is None:
        return
    if admin_id != user_id:
        leave(session, user_id=user_id)
        return
    now = now_us()
    for row, member in repo.rows_of_family(session, admin_id):
        row.status, row.token, row.updated_at = "CLOSED", None, now
        member.family_admin_id = None
