"""Legacy (emergency contacts): /emergency-contacts/*, for any app's session, as museum."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends

from photo_api.auth.deps import CurrentUser, DeviceDep, OutboxDep, RateLimit
from photo_api.db.session import SessionDep
from photo_api.legacy import recovery, service
from photo_api.legacy.recovery import Action
from photo_api.legacy.schemas import (
    AddContactRequest,
    ContactIdentifier,
    RecoveryChangePasswordRequest,
    RecoveryIdentifier,
    RecoverySetupRequest,
    UpdateContactRequest,
    UpdateNoticeRequest,
)
from photo_api.wire import EmptyAnswer, empty_ok

router = APIRouter(prefix="/emergency-contacts", tags=["legacy"])


def limit(name: str) -> Any:
    return Depends(RateLimit(name, limit=10, per="user"))


@router.post("/add", dependencies=[limit("legacy-add")])
def add(
    body: AddContactRequest, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> EmptyAnswer:
    service.add(
        session,
        outbox=outbox,
        user_id=caller.user_id,
        email=body.email,
        encrypted_key=body.encryptedKey,
        notice_days=body.recoveryNoticeInDays,
    )
    return empty_ok()


@router.get("/info")
def info(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return service.info(session, user_id=caller.user_id)


@router.post("/update")
def update(
    body: UpdateContactRequest, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> dict[str, Any]:
    service.update(
        session,
        outbox=outbox,
        caller_id=caller.user_id,
        user_id=body.userID,
        contact_id=body.emergencyContactID,
        state=body.state,
    )
    return {}


@router.post("/update-recovery-notice")
def update_recovery_notice(
    body: UpdateNoticeRequest, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    service.update_notice(
        session,
        user_id=caller.user_id,
        contact_id=body.emergencyContactID,
        notice_days=body.recoveryNoticeInDays,
    )
    return {}


@router.post("/start-recovery")
def start_recovery(
    body: ContactIdentifier, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> dict[str, Any]:
    recovery.start(
        session,
        outbox=outbox,
        caller_id=caller.user_id,
        user_id=body.userID,
        contact_id=body.emergencyContactID,
    )
    return {}


def _act(
    action: Action,
    body: RecoveryIdentifier,
    caller: CurrentUser,
    session: SessionDep,
    outbox: OutboxDep,
) -> dict[str, Any]:
    recovery.act(
        session,
        outbox=outbox,
        action=action,
        caller_id=caller.user_id,
        recovery_id=body.id,
        user_id=body.userID,
        contact_id=body.emergencyContactID,
    )
    return {}


@router.post("/stop-recovery")
def stop_recovery(
    body: RecoveryIdentifier, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> dict[str, Any]:
    return _act("stop", body, caller, session, outbox)


@router.post("/reject-recovery")
def reject_recovery(
    body: RecoveryIdentifier, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> dict[str, Any]:
    return _act("reject", body, caller, session, outbox)


@router.post("/approve-recovery")
def approve_recovery(
    body: RecoveryIdentifier, caller: CurrentUser, session: SessionDep, outbox: OutboxDep
) -> dict[str, Any]:
    return _act("approve", body, caller, session, outbox)


@router.get("/recovery-info/{recovery_id}")
def recovery_info(
    recovery_id: uuid.UUID, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    return recovery.recovery_info(session, caller_id=caller.user_id, recovery_id=str(recovery_id))


@router.post("/init-change-password", dependencies=[limit("legacy-srp-setup")])
def init_change_password(
    body: RecoverySetupRequest, caller: CurrentUser, session: SessionDep, device: DeviceDep
) -> dict[str, Any]:
    return recovery.init_change_password(
        session,
        caller_id=caller.user_id,
        recovery_id=body.recoveryID,
        setup=body.setupSRPRequest,
        ip=device.ip,
    )


@router.post("/change-password", dependencies=[limit("legacy-srp-update")])
def change_password(
    body: RecoveryChangePasswordRequest,
    caller: CurrentUser,
    session: SessionDep,
    outbox: OutboxDep,
) -> dict[str, Any]:
    return recovery.change_password(
        session,
        outbox=outbox,
        caller_id=caller.user_id,
        recovery_id=body.recoveryID,
        update=body.updateSrpAndKeysRequest,
    )
