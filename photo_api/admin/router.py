"""museum's /admin routes for a self-hosted server: look users up, change plans, unlock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from photo_api.admin import service
from photo_api.admin.deps import AdminUser, FreshAdminUser
from photo_api.admin.schemas import (
    AddOttRequest,
    EmailMfaRequest,
    MailRequest,
    TerminateSessionRequest,
    UpdateFlagRequest,
    UpdateSubscriptionRequest,
    UserIdRequest,
    token_out,
    user_out,
)
from photo_api.auth.deps import OutboxDep, SettingsDep
from photo_api.db.session import SessionDep
from photo_api.routing import with_slash_twin
from photo_api.users.schemas import subscription_out

router = APIRouter(prefix="/admin", tags=["admin"])


# The `ente` CLI calls these two with a trailing slash.
@with_slash_twin(router.get, "/users")
def list_users(
    caller: FreshAdminUser, session: SessionDep, sinceTime: int = Query()
) -> dict[str, Any]:
    users = service.list_users(session, admin_id=caller.user_id, since=sinceTime)
    return {"users": [user_out(user) for user in users]}


@with_slash_twin(router.get, "/user")
def get_user(
    caller: AdminUser,
    session: SessionDep,
    email: str | None = Query(default=None, max_length=320),
    user_id: int | None = Query(default=None, alias="id"),
) -> dict[str, Any]:
    user = service.find_user(session, email=email, user_id=user_id)
    view = service.overview(session, admin_id=caller.user_id, user=user)
    out: dict[str, Any] = {
        "user": user_out(view.user),
        "details": view.details,
        "tokens": [token_out(token) for token in view.tokens],
    }
    if view.subscription is not None:
        out["subscription"] = subscription_out(view.subscription)
    return out


@router.put("/user/subscription")
def update_subscription(
    body: UpdateSubscriptionRequest, caller: AdminUser, session: SessionDep
) -> dict[str, Any]:
    service.update_subscription(
        session,
        admin_id=caller.user_id,
        user_id=body.userID,
        storage=body.storage,
        transaction_id=body.transactionID,
        product_id=body.productID,
        expiry_time=body.expiryTime,
        payment_provider=body.paymentProvider,
        attributes=body.attributes,
    )
    return {}


@router.post("/user/disable-2fa")
def disable_two_factor(
    body: UserIdRequest, caller: FreshAdminUser, session: SessionDep
) -> dict[str, Any]:
    service.disable_two_factor(session, admin_id=caller.user_id, user_id=body.userID)
    return {}


# museum asks for no fresh token here, and the `ente` CLI sends its stored one.
@router.post("/user/disable-passkeys")
def disable_passkeys(body: UserIdRequest, caller: AdminUser, session: SessionDep) -> dict[str, Any]:
    service.disable_passkeys(session, admin_id=caller.user_id, user_id=body.userID)
    return {}


@router.post("/user/update-email-mfa")
def update_email_mfa(
    body: EmailMfaRequest, caller: AdminUser, session: SessionDep
) -> dict[str, Any]:
    service.set_email_mfa(
        session, admin_id=caller.user_id, user_id=body.userID, enabled=body.emailMFA
    )
    return {}


@router.post("/user/terminate-session")
def terminate_session(
    body: TerminateSessionRequest, caller: AdminUser, session: SessionDep
) -> dict[str, Any]:
    service.terminate_session(
        session, admin_id=caller.user_id, user_id=body.userID, token=body.token
    )
    return {}


@router.delete("/user/delete")
def delete_user(
    caller: FreshAdminUser,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
    email: str = Query(min_length=1, max_length=320),
) -> dict[str, Any]:
    return service.delete_user(
        session, settings=settings, outbox=outbox, admin_id=caller.user_id, email=email
    )


@router.post("/user/add-ott")
def add_ott(
    body: AddOttRequest, caller: AdminUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    service.add_ott(
        session,
        settings=settings,
        admin_id=caller.user_id,
        email=body.email,
        code=body.code,
        app=body.app,
        expiry_time=body.expiryTime,
    )
    return {}


@router.post("/user/update-flag")
def update_flag(body: UpdateFlagRequest, caller: AdminUser, session: SessionDep) -> dict[str, Any]:
    service.update_flag(
        session, admin_id=caller.user_id, user_id=body.userID, key=body.key, value=body.value
    )
    return {}


@router.post("/mail")
async def send_mail(body: MailRequest, caller: AdminUser, outbox: OutboxDep) -> dict[str, Any]:
    await service.send_mail(
        outbox=outbox,
        admin_id=caller.user_id,
        to=body.to,
        from_name=body.fromName,
        from_email=body.fromEmail,
        subject=body.subject,
        html=body.body,
    )
    return {}
