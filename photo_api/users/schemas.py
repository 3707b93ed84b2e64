"""Wire shapes of users, key attributes, plans and settings."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from photo_api.models import KeyAttributes, Subscription
from photo_api.wire import B64, WireModel

# libsodium's "sensitive" strength: memLimit * opsLimit must be 1 GiB * 4.
KDF_STRENGTH = 4 * 1024**3
MIN_MEM_LIMIT = 128 * 1024**2


class KeyAttributesIn(WireModel):
    kekSalt: B64
    kekHash: str | None = None
    encryptedKey: B64
    keyDecryptionNonce: B64
    publicKey: B64
    encryptedSecretKey: B64
    secretKeyDecryptionNonce: B64
    memLimit: int = Field(gt=0)
    opsLimit: int = Field(gt=0)
    masterKeyEncryptedWithRecoveryKey: B64 | None = None
    masterKeyDecryptionNonce: B64 | None = None
    recoveryKeyEncryptedWithMasterKey: B64 | None = None
    recoveryKeyDecryptionNonce: B64 | None = None


class SetKeyAttributesRequest(WireModel):
    keyAttributes: KeyAttributesIn


class RecoveryKeyRequest(WireModel):
    masterKeyEncryptedWithRecoveryKey: B64
    masterKeyDecryptionNonce: B64
    recoveryKeyEncryptedWithMasterKey: B64
    recoveryKeyDecryptionNonce: B64


class UpdatedKeyAttributes(WireModel):
    kekSalt: B64
    encryptedKey: B64
    keyDecryptionNonce: B64
    memLimit: int = Field(gt=0)
    opsLimit: int = Field(gt=0)


class EmailMfaRequest(WireModel):
    isEnabled: bool


class RemoteStoreUpdate(WireModel):
    key: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=255)


class DeleteAccountRequest(WireModel):
    challenge: str = Field(min_length=1)
    reason: str | None = None
    reasonCategory: str | None = None
    feedback: str | None = None

    @model_validator(mode="after")
    def _one_reason(self) -> DeleteAccountRequest:
        self.reason = self.reason or self.reasonCategory
        return self


def key_attributes_out(attrs: KeyAttributes) -> dict[str, Any]:
    """All 13 keys, missing ones as "" (what museum sends)."""
    return {
        "kekSalt": attrs.kek_salt,
        "kekHash": attrs.kek_hash or "",
        "encryptedKey": attrs.encrypted_key,
        "keyDecryptionNonce": attrs.key_decryption_nonce,
        "publicKey": attrs.public_key,
        "encryptedSecretKey": attrs.encrypted_secret_key,
        "secretKeyDecryptionNonce": attrs.secret_key_decryption_nonce,
        "memLimit": attrs.mem_limit,
        "opsLimit": attrs.ops_limit,
        "masterKeyEncryptedWithRecoveryKey": attrs.master_key_encrypted_with_recovery_key or "",
        "masterKeyDecryptionNonce": attrs.master_key_decryption_nonce or "",
        "recoveryKeyEncryptedWithMasterKey": attrs.recovery_key_encrypted_with_master_key or "",
        "recoveryKeyDecryptionNonce": attrs.recovery_key_decryption_nonce or "",
    }


def subscription_out(sub: Subscription) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": sub.id,
        "userID": sub.user_id,
        "productID": sub.product_id,
        "storage": sub.storage,
        "originalTransactionID": sub.original_transaction_id,
        "expiryTime": sub.expiry_time,
        "paymentProvider": sub.payment_provider,
        "attributes": sub.attributes or {},
        # Self-hosted plans have no price; museum sends these for free and family plans.
        "price": "",
        "period": "year",
    }
    if sub.upgraded_at:
        out["upgradedAt"] = sub.upgraded_at
    return out
