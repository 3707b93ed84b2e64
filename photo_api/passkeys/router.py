"""Passkeys: managed from the accounts app (ACCOUNTS JWT), and the passkey step of log-in."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from photo_api.auth.deps import CurrentUser, DeviceDep, RateLimit, SettingsDep
from photo_api.db.session import SessionDep, WriteSessionDep
from photo_api.passkeys import login, recovery, service
from photo_api.passkeys.deps import AccountsUser
from photo_api.passkeys.schemas import BeginLoginRequest, ConfigureRecoveryRequest
from photo_api.wire import NonEmpty, Uuid

router = APIRouter(tags=["passkeys"])

# WebAuthn responses, parsed by the library: {"id", "rawId", "type", "response": {…}}.
Credential = Annotated[dict[str, Any], Body()]
# Inside Annotated: with `= Query()` as a default, FastAPI drops the types' validators.
UuidQuery = Annotated[Uuid, Query()]
NonEmptyQuery = Annotated[NonEmpty, Query()]


def limit(name: str, per: str = "ip") -> Any:
    # museum allows 10 requests a minute on every /users/two-factor/ path.
    return Depends(RateLimit(name, limit=10, per=per))


@router.get("/users/accounts-token")
def accounts_token(caller: CurrentUser, settings: SettingsDep) -> dict[str, str]:
    return service.accounts_token(settings=settings, user_id=caller.user_id)


# --- the accounts app's passkey settings ------------------------------------------------


@router.get("/passkeys")
def list_passkeys(user_id: AccountsUser, session: SessionDep, settings: SettingsDep) -> Any:
    return service.list_passkeys(session, settings=settings, user_id=user_id)


@router.patch("/passkeys/{passkey_id}")
def rename_passkey(
    passkey_id: Uuid, user_id: AccountsUser, session: SessionDep, friendlyName: str = ""
) -> dict[str, Any]:
    service.rename(session, user_id=user_id, passkey_id=passkey_id, name=friendlyName)
    return {}


@router.delete("/passkeys/{passkey_id}")
def delete_passkey(passkey_id: Uuid, user_id: AccountsUser, session: SessionDep) -> dict[str, Any]:
    service.delete(session, user_id=user_id, passkey_id=passkey_id)
    return {}


@router.post("/passkeys/registration/begin")
def begin_registration(
    user_id: AccountsUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return service.begin_registration(session, settings=settings, user_id=user_id)


@router.post("/passkeys/registration/finish")
def finish_registration(
    body: Credential,
    user_id: AccountsUser,
    session: SessionDep,
    settings: SettingsDep,
    sessionID: UuidQuery,
    friendlyName: str = "",
) -> dict[str, Any]:
    service.finish_registration(
        session,
        settings=settings,
        user_id=user_id,
        ceremony_id=sessionID,
        name=friendlyName,
        body=body,
    )
    return {}


# --- the passkey step of log-in (public: the passkey session id is the credential) ------


@router.post("/users/two-factor/passkeys/begin", dependencies=[limit("passkey-begin")])
def begin_login(
    body: BeginLoginRequest, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    return login.begin(session, settings=settings, session_id=body.sessionID)


@router.post("/users/two-factor/passkeys/finish", dependencies=[limit("passkey-finish")])
def finish_login(
    body: Credential,
    session: SessionDep,
    settings: SettingsDep,
    device: DeviceDep,
    sessionID: NonEmptyQuery,
    ceremonySessionID: UuidQuery,
) -> dict[str, Any]:
    return login.finish(
        session,
        settings=settings,
        session_id=sessionID,
        ceremony_id=ceremonySessionID,
        body=body,
        device=device,
    )


@router.get("/users/two-factor/passkeys/get-token", dependencies=[limit("passkey-get-token")])
def get_token(session: WriteSessionDep, sessionID: NonEmptyQuery) -> dict[str, Any]:
    # A GET that writes: it counts the fetches.
    return login.token(session, session_id=sessionID)


# --- recovery: the passkey "skip" (recover and remove are in photo_api.login) -----------


@router.get(
    "/users/two-factor/recovery-status", dependencies=[limit("2fa-recovery-status", "user")]
)
def recovery_status(caller: CurrentUser, session: SessionDep) -> dict[str, bool]:
    return recovery.status(session, user_id=caller.user_id)


@router.post(
    "/users/two-factor/passkeys/configure-recovery",
    dependencies=[limit("passkey-configure-recovery", "user")],
)
def configure_recovery(
    body: ConfigureRecoveryRequest, caller: CurrentUser, session: SessionDep, settings: SettingsDep
) -> dict[str, Any]:
    recovery.configure(
        session,
        settings=settings,
        user_id=caller.user_id,
        secret=body.secret,
        encrypted_secret=body.userSecretCipher,
        nonce=body.userSecretNonce,
    )
    return {}
