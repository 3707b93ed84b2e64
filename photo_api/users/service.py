"""Rules for accounts: creation, key attributes, plan, settings and flags."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.orm import Session

from photo_api.clock import MICROS_PER_DAY, now_us
from photo_api.config import Settings
from photo_api.errors import ApiError, bad_request, forbidden, not_found
from photo_api.login import repo as login_repo
from photo_api.models import KeyAttributes, Subscription, User
from photo_api.passkeys import repo as passkeys_repo
from photo_api.users import repo
from photo_api.users.schemas import (
    KDF_STRENGTH,
    MIN_MEM_LIMIT,
    KeyAttributesIn,
    RecoveryKeyRequest,
    key_attributes_out,
    subscription_out,
)

SignupState = Literal["none", "incomplete", "complete"]
FREE_PLAN_YEARS = 100
# Flags a user may set for themselves, and the values they take.
USER_FLAGS = {"recoveryKeyVerified", "mapEnabled", "faceSearchEnabled", "passKeyEnabled"}
ADMIN_FLAGS = {"internalUser", "betaUser"}
# The only key museum lets a user remove; its flags are switched off by setting "false".
REMOVABLE_KEYS = {"customDomain"}
REMOTE_KEYS = USER_FLAGS | ADMIN_FLAGS | REMOVABLE_KEYS


def normalize_email(email: str) -> str:
    return email.strip().lower()


def signup_state(session: Session, email: str) -> tuple[SignupState, User | None]:
    user = repo.user_by_email(session, email)
    if user is None:
        return "none", None
    if repo.key_attributes(session, user.id) is None:
        return "incomplete", user
    return "complete", user


def create_user(session: Session, *, settings: Settings, email: str, source: str | None) -> User:
    now = now_us()
    user = repo.insert_user(session, email=email, now=now, source=source)
    repo.add_subscription(
        session,
        Subscription(
            user_id=user.id,
            product_id="free",
            storage=settings.default_quota_bytes,
            original_transaction_id="none",
            expiry_time=now + FREE_PLAN_YEARS * 365 * MICROS_PER_DAY,
            payment_provider="",
            attributes={},
            upgraded_at=0,
        ),
    )
    return user


def check_kdf(*, mem_limit: int, ops_limit: int) -> None:
    if mem_limit * ops_limit != KDF_STRENGTH:
        raise bad_request("Unexpected KDF strength")
    if mem_limit < MIN_MEM_LIMIT:
        raise bad_request("memory limit must be at least 128MB")


def set_key_attributes(session: Session, *, user_id: int, attrs: KeyAttributesIn) -> None:
    check_kdf(mem_limit=attrs.memLimit, ops_limit=attrs.opsLimit)
    if repo.key_attributes(session, user_id) is not None:
        # Keys change only together with the password, through /users/srp/update.
        raise forbidden("key attributes are already set")
    repo.add_key_attributes(
        session,
        KeyAttributes(
            user_id=user_id,
            kek_salt=attrs.kekSalt,
            kek_hash=attrs.kekHash,
            encrypted_key=attrs.encryptedKey,
            key_decryption_nonce=attrs.keyDecryptionNonce,
            public_key=attrs.publicKey,
            encrypted_secret_key=attrs.encryptedSecretKey,
            secret_key_decryption_nonce=attrs.secretKeyDecryptionNonce,
            mem_limit=attrs.memLimit,
            ops_limit=attrs.opsLimit,
            master_key_encrypted_with_recovery_key=attrs.masterKeyEncryptedWithRecoveryKey,
            master_key_decryption_nonce=attrs.masterKeyDecryptionNonce,
            recovery_key_encrypted_with_master_key=attrs.recoveryKeyEncryptedWithMasterKey,
            recovery_key_decryption_nonce=attrs.recoveryKeyDecryptionNonce,
            created_at=now_us(),
        ),
    )


def set_recovery_key(session: Session, *, user_id: int, request: RecoveryKeyRequest) -> None:
    attrs = repo.key_attributes(session, user_id)
    if attrs is None:
        raise not_found("no key attributes")
    if attrs.master_key_encrypted_with_recovery_key:
        raise ApiError(409, "CONFLICT", "recovery key is already set")
    attrs.master_key_encrypted_with_recovery_key = request.masterKeyEncryptedWithRecoveryKey
    attrs.master_key_decryption_nonce = request.masterKeyDecryptionNonce
    attrs.recovery_key_encrypted_with_master_key = request.recoveryKeyEncryptedWithMasterKey
    attrs.recovery_key_decryption_nonce = request.recoveryKeyDecryptionNonce
    session.flush()


def public_key(session: Session, *, email: str) -> str:
    user = repo.user_by_email(session, normalize_email(email))
    attrs = repo.key_attributes(session, user.id) if user else None
    if attrs is None:
        raise not_found("no such user")
    return attrs.public_key


def session_validity(session: Session, *, user_id: int) -> dict[str, Any]:
    attrs = repo.key_attributes(session, user_id)
    if attrs is None:
        return {"hasSetKeys": False}
    return {"hasSetKeys": True, "keyAttributes": key_attributes_out(attrs)}


def require_user(session: Session, user_id: int) -> User:
    user = repo.get_user(session, user_id)
    if user is None or user.deleted_at is not None or user.email is None:
        raise ApiError(404, "USER_NOT_FOUND", "user not found")
    return user


def details(
    session: Session, *, user_id: int, memory_count: bool, file_count: int
) -> dict[str, Any]:
    user = require_user(session, user_id)
    sub = repo.subscription(session, user_id)
    if sub is None:
        raise not_found("no subscription")
    two_factor = user.is_two_factor_enabled
    out: dict[str, Any] = {
        "email": user.email,
        "usage": repo.usage(session, user_id),
        "subscription": subscription_out(sub),
        "storageBonus": 0,
        "profileData": {
            "canDisableEmailMFA": login_repo.srp_auth(session, user_id) is not None,
            "isEmailMFAEnabled": user.email_mfa,
            "isTwoFactorEnabled": two_factor,
            "passkeyCount": passkeys_repo.count_passkeys(session, user_id=user_id),
        },
        "bonusData": {"storageBonuses": []},
    }
    if memory_count:
        out["fileCount"] = file_count
        out["sharedCollectionsCount"] = 0
    return out


def set_email_mfa(session: Session, *, user_id: int, enabled: bool) -> None:
    user = require_user(session, user_id)
    if not enabled and login_repo.srp_auth(session, user_id) is None:
        raise ApiError(409, "CONFLICT", "SRP setup incomplete")
    user.email_mfa = enabled
    session.flush()


def feature_flags(session: Session, *, user_id: int, settings: Settings) -> dict[str, Any]:
    store = repo.remote_store(session, user_id)

    def flag(key: str, default: bool = False) -> bool:
        return store.get(key, str(default).lower()) == "true"

    flags: dict[str, Any] = {
        # Self-hosted: no payments, so no Stripe; no Cloudflare upload proxy.
        "enableStripe": False,
        "disableCFWorker": True,
        "mapEnabled": flag("mapEnabled"),
        "faceSearchEnabled": flag("faceSearchEnabled"),
        "passKeyEnabled": flag("passKeyEnabled"),
        "recoveryKeyVerified": flag("recoveryKeyVerified"),
        "internalUser": flag("internalUser"),
        "betaUser": flag("betaUser"),
        "enableMobMultiPart": True,
        # UploadV2 | Comments | BackupOptions | CastSessionsV2. museum sets the last only for
        # internal users; we serve the cast session list and per-device stop to everyone.
        "serverApiFlag": 1 | 2 | 4 | 16,
        "castUrl": settings.cast_origin,
        "embedUrl": "https://embed.ente.com",
        "customDomainCNAME": "my.ente.com",
    }
    if store.get("customDomain"):
        flags["customDomain"] = store["customDomain"]
    return flags


def remote_value(session: Session, *, user_id: int, key: str, default: str | None) -> str:
    value = repo.remote_store(session, user_id).get(key, default)
    if value is None:
        raise not_found("no such key")
    return value


def update_remote_value(
    session: Session, *, user_id: int, key: str, value: str, as_admin: bool = False
) -> None:
    if key in USER_FLAGS or (as_admin and key in ADMIN_FLAGS):
        if value not in ("true", "false"):
            raise bad_request(f"{key} takes 'true' or 'false'")
        repo.set_remote_value(session, user_id=user_id, key=key, value=value)
    elif key == "customDomain":
        domain = value.strip().lower()
        if not domain:
            repo.delete_remote_value(session, user_id=user_id, key=key)
            return
        if "/" in domain or ":" in domain:
            raise bad_request("customDomain takes a host name without scheme")
        owner = repo.owner_of_remote_value(session, key=key, value=domain)
        if owner is not None and owner != user_id:
            raise ApiError(409, "CONFLICT", "domain already claimed")
        repo.set_remote_value(session, user_id=user_id, key=key, value=domain)
    else:
        raise bad_request(f"unknown key {key}")


def remove_remote_value(session: Session, *, user_id: int, key: str) -> None:
    if key not in REMOTE_KEYS:
        raise bad_request(f"key {key} is not allowed")
    if key not in REMOVABLE_KEYS:
        raise bad_request(f"key {key} is not removable")
    repo.delete_remote_value(session, user_id=user_id, key=key)


def subscription(session: Session, *, user_id: int) -> dict[str, Any]:
    sub = repo.subscription(session, user_id)
    if sub is None:
        raise not_found("no subscription")
    return subscription_out(sub)
