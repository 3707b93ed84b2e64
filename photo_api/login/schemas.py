"""Request bodies of the sign-up and log-in endpoints."""

from __future__ import annotations

from pydantic import Field

from photo_api.users.schemas import UpdatedKeyAttributes
from photo_api.wire import B64, EmailAddress, NonEmpty, Uuid, WireModel


class SendOttRequest(WireModel):
    email: EmailAddress
    # Absent or "" (resends, password recovery) means no checks on the account's state.
    purpose: str | None = None
    mobile: bool = False


class VerifyEmailRequest(WireModel):
    email: EmailAddress
    ott: str = Field(min_length=1, max_length=16)
    source: str | None = Field(default=None, max_length=255)


class ChangeEmailRequest(WireModel):
    email: EmailAddress
    ott: str = Field(min_length=1, max_length=16)


class SrpSetupRequest(WireModel):
    srpUserID: Uuid
    srpSalt: B64
    srpVerifier: B64
    srpA: B64


class SrpCompleteRequest(WireModel):
    setupID: Uuid
    srpM1: B64


class SrpUpdateRequest(WireModel):
    setupID: Uuid
    srpM1: B64
    updatedKeyAttr: UpdatedKeyAttributes
    logOutOtherDevices: bool = True


class SrpCreateSessionRequest(WireModel):
    srpUserID: Uuid
    srpA: B64


class SrpVerifySessionRequest(WireModel):
    sessionID: Uuid
    srpUserID: Uuid
    srpM1: B64


class TwoFactorEnableRequest(WireModel):
    code: str = Field(min_length=6, max_length=8)
    encryptedTwoFactorSecret: B64
    twoFactorSecretDecryptionNonce: B64


class TwoFactorVerifyRequest(WireModel):
    sessionID: NonEmpty
    code: str = Field(min_length=1, max_length=8)


class TwoFactorRemoveRequest(WireModel):
    sessionID: NonEmpty
    secret: NonEmpty
    twoFactorType: str = "totp"


class PasswordLoginRequest(WireModel):
    email: EmailAddress
    password: str = Field(min_length=1, max_length=1024)
    totpCode: str | None = None


class SetPasswordRequest(WireModel):
    password: str = Field(min_length=1, max_length=1024)
