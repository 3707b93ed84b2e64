"""Family endpoints: management with the families JWT, leaving with a session, invites public."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from photo_api.auth import jwts
from photo_api.auth.deps import CurrentUser, OutboxDep, RateLimit, SettingsDep, presented_token
from photo_api.db.session import SessionDep
from photo_api.errors import MiddlewareError
from photo_api.family import service
from photo_api.wire import EmailAddress, EmptyAnswer, WireModel, empty_ok

router = APIRouter(prefix="/family", tags=["family"])
FAMILIES_SCOPE = "FAMILIES"


def family_admin_caller(request: Request) -> int:
    """The user a families JWT (from GET /users/families-token) was issued to."""
    token = presented_token(request)
    try:
        claims = jwts.decode_user_claims(
            token or "",
            secret=request.app.state.settings.keys.raw("jwt_secret"),
            scope=FAMILIES_SCOPE,
        )
    except jwts.InvalidJwt as exc:
        raise MiddlewareError(401, "invalid token") from exc
    return int(claims["userID"])


FamilyCaller = Annotated[int, Depends(family_admin_caller)]


class AddMemberRequest(WireModel):
    email: EmailAddress
    storageLimit: int | None = Field(default=None, ge=0)


class ModifyStorageRequest(WireModel):
    id: str = Field(min_length=1, max_length=64)
    storageLimit: int | None = Field(default=None, ge=0)


class AcceptInviteRequest(WireModel):
    token: str = Field(min_length=1, max_length=128)


@router.post("/create")
def create(user_id: FamilyCaller, session: SessionDep) -> EmptyAnswer:
    service.create(session, user_id=user_id)
    return empty_ok()


@router.post("/add-member", dependencies=[Depends(RateLimit("family-add", limit=10, per="user"))])
def add_member(
    body: AddMemberRequest,
    user_id: FamilyCaller,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
) -> EmptyAnswer:
    service.add_member(
        session,
        settings=settings,
        outbox=outbox,
        user_id=user_id,
        email=body.email,
        storage_limit=body.storageLimit,
    )
    return empty_ok()


@router.get("/members")
def members(user_id: FamilyCaller, session: SessionDep) -> dict[str, Any]:
    return service.members(session, user_id=user_id)


@router.delete("/remove-member/{row_id}")
def remove_member(row_id: str, user_id: FamilyCaller, session: SessionDep) -> EmptyAnswer:
    service.remove_member(session, user_id=user_id, row_id=row_id)
    return empty_ok()


@router.delete("/revoke-invite/{row_id}")
def revoke_invite(row_id: str, user_id: FamilyCaller, session: SessionDep) -> EmptyAnswer:
    service.revoke_invite(session, user_id=user_id, row_id=row_id)
    return empty_ok()


@router.post("/modify-storage")
def modify_storage(
    body: ModifyStorageRequest, user_id: FamilyCaller, session: SessionDep
) -> EmptyAnswer:
    service.modify_storage(
        session, user_id=user_id, row_id=body.id, storage_limit=body.storageLimit
    )
    return empty_ok()


@router.delete("/leave")
def leave(caller: CurrentUser, session: SessionDep) -> EmptyAnswer:
    service.leave(session, user_id=caller.user_id)
    return empty_ok()


@router.get("/invite-info/{token}", dependencies=[Depends(RateLimit("family-invite", limit=10))])
def invite_info(token: str, session: SessionDep) -> dict[str, Any]:
    return service.invite_info(session, token=token)


@router.post("/accept-invite", dependencies=[Depends(RateLimit("family-accept", limit=10))])
def accept_invite(body: AcceptInviteRequest, session: SessionDep) -> dict[str, Any]:
    return service.accept_invite(session, token=body.token)
