"""Account endpoints: keys, details, settings, flags, deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query

from photo_api.auth import jwts
from photo_api.auth.deps import CurrentUser, OutboxDep, SettingsDep
from photo_api.clock import MICROS_PER_DAY
from photo_api.collections import service as collections
from photo_api.db.session import SessionDep
from photo_api.family import service as family
from photo_api.users import deletion, service
from photo_api.users.schemas import (
    DeleteAccountRequest,
    EmailMfaRequest,
    RecoveryKeyRequest,
    RemoteStoreUpdate,
    SetKeyAttributesRequest,
)
from photo_api.wire import EmptyAnswer, empty_ok

router = APIRouter(tags=["users"])


@router.put("/users/attributes")
def set_attributes(
    body: SetKeyAttributesRequest, caller: CurrentUser, session: SessionDep
) -> EmptyAnswer:
    service.set_key_attributes(session, user_id=caller.user_id, attrs=body.keyAttributes)
    return empty_ok()


@router.put("/users/recovery-key")
def set_recovery_key(
    body: RecoveryKeyRequest, caller: CurrentUser, session: SessionDep
) -> EmptyAnswer:
    service.set_recovery_key(session, user_id=caller.user_id, request=body)
    return empty_ok()


@router.get("/users/public-key")
def public_key(
    caller: CurrentUser, session: SessionDep, email: str = Query(min_length=1, max_length=320)
) -> dict[str, str]:
    return {"publicKey": service.public_key(session, email=email)}


@router.get("/users/session-validity/v2")
def session_validity(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.session_validity(session, user_id=caller.user_id)


@router.get("/users/details/v2")
def details(caller: CurrentUser, session: SessionDep, memoryCount: bool = True) -> dict[str, Any]:
    count = collections.file_count(session, user_id=caller.user_id, app=caller.app)
    out = service.details(
        session, user_id=caller.user_id, memory_count=memoryCount, file_count=count
    )
    if family_data := family.family_data(session, user_id=caller.user_id):
        out["familyData"] = family_data
    return out


@router.put("/users/email-mfa")
def email_mfa(body: EmailMfaRequest, caller: CurrentUser, session: SessionDep) -> EmptyAnswer:
    service.set_email_mfa(session, user_id=caller.user_id, enabled=body.isEnabled)
    return empty_ok()


@router.post("/users/event")
def event(caller: CurrentUser) -> EmptyAnswer:
    return empty_ok()


@router.get("/users/families-token")
def families_token(caller: CurrentUser, settings: SettingsDep) -> dict[str, str]:
    token = jwts.encode(
        jwts.user_claims(user_id=caller.user_id, scope="FAMILIES", ttl_us=MICROS_PER_DAY),
        secret=settings.keys.raw("jwt_secret"),
    )
    return {"familiesToken": token, "familyUrl": settings.family_origin}


@router.get("/users/delete-challenge")
def delete_challenge(
    caller: CurrentUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return deletion.challenge(session, settings=settings, user_id=caller.user_id)


@router.delete("/users/delete")
def delete_account(
    body: DeleteAccountRequest,
    caller: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
) -> dict[str, Any]:
    return deletion.delete_account(
        session,
        settings=settings,
        outbox=outbox,
        user_id=caller.user_id,
        challenge_jwt=body.challenge,
        reason=body.reason,
        feedback=body.feedback,
    )


@router.get("/users/deletion-summary")
def deletion_summary(caller: CurrentUser, session: SessionDep) -> dict[str, int]:
    return deletion.summary(session, user_id=caller.user_id)


@router.get("/remote-store/feature-flags")
def feature_flags(
    caller: CurrentUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.feature_flags(session, user_id=caller.user_id, settings=settings)


@router.get("/remote-store")
def remote_store_get(
    caller: CurrentUser,
    session: SessionDep,
    key: str = Query(min_length=1, max_length=64),
    defaultValue: str | None = None,
) -> dict[str, str]:
    return {
        "value": service.remote_value(
            session, user_id=caller.user_id, key=key, default=defaultValue
        )
    }


@router.post("/remote-store/update")
def remote_store_update(
    body: RemoteStoreUpdate, caller: CurrentUser, session: SessionDep
) -> EmptyAnswer:
    service.update_remote_value(session, user_id=caller.user_id, key=body.key, value=body.value)
    return empty_ok()


@router.delete("/remote-store/{key}")
def remote_store_remove(
    caller: CurrentUser, session: SessionDep, key: str = Path(max_length=64)
) -> EmptyAnswer:
    service.remove_remote_value(session, user_id=caller.user_id, key=key)
    return empty_ok()
