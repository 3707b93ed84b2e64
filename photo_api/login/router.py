"""Sign-up and log-in: email codes, SRP, two-factor, sessions, password login."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from photo_api.auth.deps import (
    CurrentUser,
    DeviceDep,
    OutboxDep,
    RateLimit,
    SettingsDep,
    client_ip,
    presented_token,
    request_app,
)
from photo_api.db.session import SessionDep
from photo_api.login import ott, password, service, sessions, srp_flow, twofactor
from photo_api.login.schemas import (
    ChangeEmailRequest,
    PasswordLoginRequest,
    SendOttRequest,
    SetPasswordRequest,
    SrpCompleteRequest,
    SrpCreateSessionRequest,
    SrpSetupRequest,
    SrpUpdateRequest,
    SrpVerifySessionRequest,
    TwoFactorEnableRequest,
    TwoFactorRemoveRequest,
    TwoFactorVerifyRequest,
    VerifyEmailRequest,
)
from photo_api.passkeys import recovery as passkey_recovery
from photo_api.users import service as users
from photo_api.wire import EmptyAnswer, empty_ok

router = APIRouter(prefix="/users", tags=["login"])
# twoFactorType of the recovery routes; anything else means TOTP, as on museum.
PASSKEY = "passkey"


def limit(name: str, per: str = "ip", count: int = 10) -> Any:
    return Depends(RateLimit(name, limit=count, per=per))


# --- email codes ------------------------------------------------------------------------


@router.post("/ott", dependencies=[limit("ott")])
def send_ott(
    body: SendOttRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    outbox: OutboxDep,
) -> EmptyAnswer:
    ott.send(
        session,
        settings=settings,
        outbox=outbox,
        email=body.email,
        purpose=body.purpose or "",
        app=request_app(request),
        ip=client_ip(request),
    )
    return empty_ok()


@router.post("/verify-email", dependencies=[limit("verify-email")])
def verify_email(
    body: VerifyEmailRequest, session: SessionDep, settings: SettingsDep, device: DeviceDep
) -> dict[str, Any]:
    email = users.normalize_email(body.email)
    ott.verify(session, settings=settings, email=email, code=body.ott, app=device.app, ip=device.ip)
    user = service.user_for_verified_email(
        session, settings=settings, email=email, source=body.source
    )
    return service.after_verification(session, settings=settings, user=user, device=device)


@router.post("/change-email", dependencies=[limit("change-email", per="user")])
def change_email(
    body: ChangeEmailRequest,
    caller: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    device: DeviceDep,
) -> EmptyAnswer:
    ott.change_email(
        session,
        settings=settings,
        user_id=caller.user_id,
        email=body.email,
        code=body.ott,
        app=caller.app,
        ip=device.ip,
    )
    return empty_ok()


# --- SRP --------------------------------------------------------------------------------


@router.get("/srp/attributes", dependencies=[limit("srp-attributes")])
def srp_attributes(
    session: SessionDep, settings: SettingsDep, email: str = Query(min_length=1, max_length=320)
) -> dict[str, Any]:
    return srp_flow.attributes(session, settings=settings, email=email)


@router.post("/srp/setup", dependencies=[limit("srp-setup", per="user")])
def srp_setup(
    body: SrpSetupRequest, caller: CurrentUser, session: SessionDep, device: DeviceDep
) -> dict[str, Any]:
    return srp_flow.setup(
        session,
        user_id=caller.user_id,
        srp_user_id=body.srpUserID,
        salt=body.srpSalt,
        verifier=body.srpVerifier,
        srp_a=body.srpA,
        ip=device.ip,
    )


@router.post("/srp/complete", dependencies=[limit("srp-complete", per="user")])
def srp_complete(
    body: SrpCompleteRequest, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    return srp_flow.complete(session, user_id=caller.user_id, setup_id=body.setupID, m1=body.srpM1)


@router.post("/srp/update", dependencies=[limit("srp-update", per="user")])
def srp_update(body: SrpUpdateRequest, caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return srp_flow.update(
        session,
        user_id=caller.user_id,
        token_id=caller.token_id,
        setup_id=body.setupID,
        m1=body.srpM1,
        key_attrs=body.updatedKeyAttr,
        log_out_others=body.logOutOtherDevices,
    )


@router.post("/srp/create-session", dependencies=[limit("srp-create-session")])
def srp_create_session(
    body: SrpCreateSessionRequest, session: SessionDep, device: DeviceDep
) -> dict[str, Any]:
    return srp_flow.create_session(
        session, srp_user_id=body.srpUserID, srp_a=body.srpA, ip=device.ip
    )


@router.post("/srp/verify-session", dependencies=[limit("srp-verify-session")])
def srp_verify_session(
    body: SrpVerifySessionRequest, session: SessionDep, settings: SettingsDep, device: DeviceDep
) -> dict[str, Any]:
    return srp_flow.verify_session(
        session,
        settings=settings,
        session_id=body.sessionID,
        srp_user_id=body.srpUserID,
        m1=body.srpM1,
        device=device,
    )


# --- two-factor -------------------------------------------------------------------------


@router.get("/two-factor/status")
def two_factor_status(caller: CurrentUser, session: SessionDep) -> dict[str, bool]:
    return twofactor.status(session, user_id=caller.user_id)


@router.post("/two-factor/setup", dependencies=[limit("2fa-setup", per="user")])
def two_factor_setup(
    caller: CurrentUser, session: SessionDep, settings: SettingsDep
) -> dict[str, str]:
    return twofactor.setup(session, settings=settings, user_id=caller.user_id)


@router.post("/two-factor/enable", dependencies=[limit("2fa-enable", per="user")])
def two_factor_enable(
    body: TwoFactorEnableRequest, caller: CurrentUser, session: SessionDep, settings: SettingsDep
) -> EmptyAnswer:
    twofactor.enable(
        session,
        settings=settings,
        user_id=caller.user_id,
        code=body.code,
        encrypted_secret=body.encryptedTwoFactorSecret,
        nonce=body.twoFactorSecretDecryptionNonce,
    )
    return empty_ok()


@router.post("/two-factor/disable", dependencies=[limit("2fa-disable", per="user")])
def two_factor_disable(caller: CurrentUser, session: SessionDep) -> EmptyAnswer:
    twofactor.disable(session, user_id=caller.user_id)
    return empty_ok()


@router.post("/two-factor/verify", dependencies=[limit("2fa-verify")])
def two_factor_verify(
    body: TwoFactorVerifyRequest, session: SessionDep, settings: SettingsDep, device: DeviceDep
) -> dict[str, Any]:
    return twofactor.verify(
        session, settings=settings, session_id=body.sessionID, code=body.code, device=device
    )


@router.get("/two-factor/recover", dependencies=[limit("2fa-recover")])
def two_factor_recover(
    session: SessionDep,
    sessionID: str = Query(min_length=1),
    twoFactorType: str = "totp",
) -> dict[str, str]:
    if twoFactorType == PASSKEY:
        return passkey_recovery.recovery_secret(session, session_id=sessionID)
    return twofactor.recovery_secret(session, session_id=sessionID)


@router.post("/two-factor/remove", dependencies=[limit("2fa-remove")])
def two_factor_remove(
    body: TwoFactorRemoveRequest, session: SessionDep, settings: SettingsDep, device: DeviceDep
) -> dict[str, Any]:
    if body.twoFactorType == PASSKEY:
        return passkey_recovery.skip(
            session, settings=settings, session_id=body.sessionID, secret=body.secret, device=device
        )
    return twofactor.remove(
        session, settings=settings, session_id=body.sessionID, secret=body.secret, device=device
    )


# --- sessions ---------------------------------------------------------------------------


@router.get("/sessions")
def list_sessions(request: Request, caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    return sessions.list_sessions(
        session, caller=caller, current_token=presented_token(request) or ""
    )


@router.delete("/session")
def delete_session(
    caller: CurrentUser, session: SessionDep, token: str = Query(min_length=1)
) -> dict[str, Any]:
    sessions.revoke_by_token(session, caller=caller, token=token)
    return {}


@router.post("/logout")
def logout(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    sessions.revoke_current(session, caller=caller)
    return {}


@router.delete("/sessions/current")
def delete_current_session(caller: CurrentUser, session: SessionDep) -> dict[str, Any]:
    sessions.revoke_current(session, caller=caller)
    return {}


@router.post("/sessions/revoke-others")
def revoke_other_sessions(caller: CurrentUser, session: SessionDep) -> dict[str, int]:
    return {"revoked": sessions.revoke_others(session, caller=caller)}


@router.delete("/sessions/{session_id}")
def delete_session_by_id(
    session_id: int, caller: CurrentUser, session: SessionDep
) -> dict[str, Any]:
    sessions.revoke_by_id(session, caller=caller, session_id=session_id)
    return {}


# --- the seed's password login ----------------------------------------------------------


@router.post("/login", dependencies=[limit("password-login")])
def password_login(
    body: PasswordLoginRequest, session: SessionDep, settings: SettingsDep, device: DeviceDep
) -> dict[str, str]:
    return password.login(
        session,
        settings=settings,
        email=body.email,
        password=body.password,
        totp_code=body.totpCode,
        device=device,
    )


@router.put("/password", dependencies=[limit("set-password", per="user")])
def set_password(body: SetPasswordRequest, caller: CurrentUser, session: SessionDep) -> EmptyAnswer:
    password.set_password(session, user_id=caller.user_id, password=body.password)
    return empty_ok()
