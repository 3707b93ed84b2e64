"""Wire shapes of the admin API (museum's server/ente/admin.go)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from photo_api.models import Token, User
from photo_api.wire import EmailAddress, WireModel

UserId = Field(gt=0)
# One line each: these go into mail headers.
MailLine = Annotated[str, StringConstraints(min_length=1, max_length=998, pattern=r"^[^\r\n]+$")]


class UserIdRequest(WireModel):
    userID: int = UserId


class UpdateSubscriptionRequest(WireModel):
    userID: int = UserId
    storage: int = Field(gt=0)
    transactionID: str = Field(min_length=1, max_length=128)
    # The `ente` CLI sends "free"; a self-hosted server has no priced plans to match others.
    productID: str = Field(min_length=1, max_length=64)
    expiryTime: int = Field(gt=0)
    paymentProvider: str = Field(default="", max_length=32)
    attributes: dict[str, Any] | None = None


class EmailMfaRequest(WireModel):
    userID: int = UserId
    emailMFA: bool


class TerminateSessionRequest(WireModel):
    userID: int = UserId
    # A raw token, or the "session-<id>" handle that GET /users/sessions lists.
    token: str = Field(min_length=1, max_length=256)


class AddOttRequest(WireModel):
    email: EmailAddress
    code: str = Field(pattern=r"^[0-9]{6,16}$")
    app: Literal["photos", "auth", "locker"]
    expiryTime: int = Field(gt=0)


class MailRequest(WireModel):
    to: list[EmailAddress] = Field(min_length=1, max_length=100)
    fromName: MailLine
    fromEmail: EmailAddress
    subject: MailLine
    # HTML.
    body: str = Field(min_length=1, max_length=1 << 20)


class UpdateFlagRequest(WireModel):
    userID: int = UserId
    key: str = Field(min_length=1, max_length=64)
    value: str = Field(max_length=255)


def user_out(user: User) -> dict[str, Any]:
    """museum's ente.User; `ID` is capitalised because the Go field has no JSON tag."""
    return {
        "ID": user.id,
        "email": user.email,
        "name": "",
        "hash": "",
        "creationTime": user.created_at,
        "familyAdminID": user.family_admin_id,
        "isTwoFactorEnabled": user.is_two_factor_enabled,
        "isEmailMFAEnabled": user.email_mfa,
    }


def token_out(token: Token) -> dict[str, Any]:
    return {
        "creationTime": token.created_at,
        "lastUsedTime": token.last_used_at,
        "ua": token.user_agent or "",
        "isDeleted": token.is_deleted,
        "app": token.app,
    }
